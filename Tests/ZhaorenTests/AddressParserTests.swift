import Testing
import Zhaoren

/// Hand-made addresses from several provinces, written the ways registers write them.
@Suite struct AddressParserTests {
    let plain = AddressParser()

    /// A small gazetteer as a run learns it from full addresses and division codes.
    static let guyuan: Gazetteer = {
        var g = Gazetteer()
        g.add(countyCode: "640402", township: "寨科乡", village: "温家台村")
        g.add(countyCode: "640402", township: "寨科乡", village: "蔡川村")
        g.add(countyCode: "640402", township: "南关街道", village: "双井社区")
        g.add(countyCode: "640402", township: "南关街道", village: "新村村")
        g.add(countyCode: "640422", township: "兴隆镇", village: "单家集村")
        g.add(countyCode: "640422", township: "兴隆镇", village: "新庄村")
        g.add(countyCode: "640423", township: "城关镇", village: "新庄村")
        // The same township name in two counties.
        g.add(countyCode: "640423", township: "南关街道", village: "文化社区")
        return g
    }()

    @Test func fullNingxiaAddress() {
        let a = plain.parse("宁夏回族自治区固原市原州区寨科乡温家台村二组12号")
        #expect(a.province == "宁夏回族自治区")
        #expect(a.prefecture == "固原市")
        #expect(a.county == "原州区")
        #expect(a.countyCode == "640402")
        #expect(a.township == "寨科乡")
        #expect(a.village == "温家台村")
        #expect(a.detail == "二组12号")
        #expect(a.level == .village)
        #expect(a.isComplete)
        #expect(!a.townshipKnown && !a.villageKnown)
    }

    @Test func communityAddressWithBuildingAndRoom() {
        let a = plain.parse("固原市原州区南关街道双井社区幸福里15号楼3单元804室")
        #expect((a.county, a.township, a.village) == ("原州区", "南关街道", "双井社区"))
        #expect(a.detail == "幸福里15号楼3单元804室")
        #expect(a.province == "")
    }

    @Test func otherProvinces() {
        let beijing = plain.parse("北京市海淀区中关村街道中关村社区3号楼")
        #expect((beijing.province, beijing.county, beijing.countyCode) == ("北京市", "海淀区", "110108"))
        #expect((beijing.township, beijing.village) == ("中关村街道", "中关村社区"))

        let shanghai = plain.parse("上海市浦东新区张江镇科苑路88号")
        #expect((shanghai.county, shanghai.countyCode, shanghai.township) == ("浦东新区", "310115", "张江镇"))
        #expect(shanghai.village == "")
        #expect(shanghai.detail == "科苑路88号")

        let shenzhen = plain.parse("广东省深圳市南山区粤海街道科技园社区科苑路15号")
        #expect((shenzhen.prefecture, shenzhen.county, shenzhen.countyCode) == ("深圳市", "南山区", "440305"))
        #expect((shenzhen.township, shenzhen.village) == ("粤海街道", "科技园社区"))

        let mongolia = plain.parse("内蒙古自治区锡林郭勒盟阿巴嘎旗洪格尔高勒苏木萨如拉图雅嘎查")
        #expect((mongolia.prefecture, mongolia.county, mongolia.countyCode) == ("锡林郭勒盟", "阿巴嘎旗", "152522"))
        #expect((mongolia.township, mongolia.village) == ("洪格尔高勒苏木", "萨如拉图雅嘎查"))

        let gansu = plain.parse("甘肃省定西市安定区凤翔镇中华路社区居民委员会")
        #expect((gansu.county, gansu.township, gansu.village) == ("安定区", "凤翔镇", "中华路社区"))
    }

    @Test func shortFormsAndOfficeSuffixes() {
        let a = plain.parse("宁夏固原原州区寨科乡温家台村")
        #expect((a.province, a.prefecture, a.county) == ("宁夏回族自治区", "固原市", "原州区"))
        let b = plain.parse("西吉县兴隆镇单家集村民委员会")
        #expect((b.county, b.township, b.village) == ("西吉县", "兴隆镇", "单家集村"))
        let c = plain.parse("固原市原州区南关街道办事处双井社区")
        #expect((c.township, c.village) == ("南关街道", "双井社区"))
        // A county's short form is read only where the levels above agree or the region is preferred.
        #expect(plain.parse("原州寨科乡温家台村").county == "")
        let preferred = AddressParser(preferredRegions: ["6404"])
        #expect(preferred.parse("原州寨科乡温家台村").county == "原州区")
        // …and never when it is the start of another name (原州路 is a road).
        #expect(preferred.parse("原州路5号").county == "")
    }

    @Test func fullWidthDigitsAndSpaces() {
        let a = plain.parse("　宁夏 固原市原州区寨科乡温家台村２组１２号 ")
        #expect(a.village == "温家台村")
        #expect(a.detail == "2组12号")
    }

    @Test func villageNamesThatLookLikeSuffixes() {
        let a = plain.parse("城关镇新村村五组")
        #expect((a.township, a.village, a.detail) == ("城关镇", "新村村", "五组"))
        let b = plain.parse("东乡村三组")
        #expect((b.township, b.village) == ("", "东乡村"))
        let c = plain.parse("温家台村村委会")
        #expect(c.village == "温家台村")
    }

    @Test func formerCountyNames() {
        let bare = plain.parse("宁夏固原县寨科乡温家台村")
        #expect((bare.county, bare.countyCode) == ("固原县", "642221"))
        // With a gazetteer, the township names the county that replaced the former one.
        let known = AddressParser(gazetteer: Self.guyuan).parse("宁夏固原县寨科乡温家台村")
        #expect((known.county, known.countyCode, known.township, known.village) == ("原州区", "640402", "寨科乡", "温家台村"))
    }

    @Test func addressesStartingBelowTheCounty() {
        let parser = AddressParser(gazetteer: Self.guyuan)
        let township = parser.parse("寨科乡蔡川村三组5号")
        #expect((township.county, township.countyCode, township.township, township.village) == ("原州区", "640402", "寨科乡", "蔡川村"))
        #expect(township.prefecture == "固原市")
        #expect(township.townshipKnown && township.villageKnown)

        let village = parser.parse("温家台村二组12号")
        #expect((village.county, village.township, village.village, village.detail) == ("原州区", "寨科乡", "温家台村", "二组12号"))

        let abbreviated = parser.parse("寨科温家台二组")
        #expect((abbreviated.township, abbreviated.village, abbreviated.detail) == ("寨科乡", "温家台村", "二组"))

        let community = parser.parse("南关街道双井社区幸福里15号楼3单元804室")
        #expect((community.county, community.township, community.village) == ("原州区", "南关街道", "双井社区"))
    }

    @Test func ambiguousNamesAreNotGuessedAcrossCounties() {
        let parser = AddressParser(gazetteer: Self.guyuan)
        // 南关街道 is in two counties, and 新村村 does not settle it when no county is given…
        let open = parser.parse("南关街道")
        #expect(open.township == "南关街道")
        #expect(open.county == "" && open.countyCode == "")
        // …the village does, when it is known in only one of them.
        let settled = parser.parse("南关街道新村村")
        #expect((settled.county, settled.village) == ("原州区", "新村村"))
        // 新庄村 is in two townships of two counties: the village is known, the township not.
        let village = parser.parse("新庄村")
        #expect(village.village == "新庄村" && village.township == "" && village.county == "")
        // A county hint (from a code or an ID number) settles it.
        let hinted = parser.parse("新庄村", countyHint: "640422")
        #expect((hinted.county, hinted.township, hinted.village) == ("西吉县", "兴隆镇", "新庄村"))
        // A county named by the address wins over the hint.
        let named = parser.parse("隆德县城关镇新庄村", countyHint: "640422")
        #expect((named.county, named.township) == ("隆德县", "城关镇"))
    }

    @Test func countyNamesSharedByProvinces() {
        let open = plain.parse("朝阳区建国路1号")
        #expect(open.county == "朝阳区" && open.countyCode == "")
        #expect(plain.parse("北京市朝阳区建国路1号").countyCode == "110105")
        #expect(plain.parse("吉林省长春市朝阳区").countyCode == "220104")
    }

    @Test func addressesThatNameNothing() {
        for text in ["", "   ", "不详", "12345", "无", "#N/A", "幸福里15号楼"] {
            let a = plain.parse(text)
            #expect(a.county == "" && a.township == "" && a.village == "", "\(text)")
        }
    }

    @Test func areaCodes() throws {
        let grid = try AreaCode.parse("640402101203007").get()
        #expect((grid.county, grid.township, grid.village, grid.grid) == ("640402", "640402101", "640402101203", "007"))
        #expect(grid.level == .village)
        let village = try AreaCode.parse(" 640402101203 ").get()
        #expect(village.village == "640402101203" && village.grid == nil)
        let padded = try AreaCode.parse("640402101000").get()
        #expect(padded.level == .township && padded.township == "640402101" && padded.village == nil)
        #expect(try AreaCode.parse("640402000000").get().level == .county)
        #expect(try AreaCode.parse("640402").get().level == .county)
        #expect(AreaCode.parse("64040210120") == .failure(.wrongLength))
        #expect(AreaCode.parse("6.40402E+14") == .failure(.notDigits))
        #expect(AreaCode.parse("") == .failure(.blank))
        #expect(AreaCode.parse("999999101203007") == .failure(.unknownCounty))
    }

    @Test func gazetteerCountsAndMerges() {
        var a = Gazetteer()
        a.add(countyCode: "640402", township: "寨科乡", village: "温家台村")
        a.add(countyCode: "640402", township: "寨科乡", village: "温家台村")
        #expect(a.count == (1, 1))
        var b = Gazetteer()
        b.add(countyCode: "640402", township: "寨科乡", village: "蔡川村")
        b.add(countyCode: "640422", township: "兴隆镇")
        a.merge(b)
        #expect(a.count == (2, 2))
        #expect(a.contains(countyCode: "640402", township: "寨科乡", village: "蔡川村"))
        #expect(!a.contains(countyCode: "640422", township: "寨科乡", village: "蔡川村"))
    }
}
