import Testing
import Zhaoren

@Suite struct PinyinTests {
    let names = sharedNames
    var table: PinyinTable { names.pinyin }

    func readings(_ c: Unicode.Scalar) -> [String] { table.readings(c.value).map(table.syllable) }

    // MARK: the embedded Han-Latin readings

    /// The table is ICU 72.1's `Han-Latin`, embedded. On ICU 72.1 (Debian 12, this project's CI)
    /// every character reads the same; another ICU may read up to 0.1 % differently, and the
    /// engine keeps the embedded readings.
    @Test func embeddedReadingsAreICUHanLatin() throws {
        let embedded = PinyinTable.embeddedReadings()
        let icu = try PinyinTable.icuReadings()
        #expect(embedded.count == 27_648 && icu.count == 27_648)
        #expect(embedded.compactMap { $0 }.count == 26_689)
        let differing = (0..<icu.count).filter { embedded[$0] != icu[$0] }
        #expect(differing.count * 1000 <= icu.count, "\(differing.count) characters read differently by this ICU")
        #expect(embedded[0x4E00 - 0x3400] == "yi")      // 一
        #expect(embedded[0x9A6C - 0x3400] == "ma")      // 马
        #expect(embedded[0x5415 - 0x3400] == "lv")      // 吕: ü written v
        #expect(embedded[0x3400 - 0x3400] == "qiu")     // 㐀, Extension A
        #expect(embedded[0x4DC0 - 0x3400] == nil)       // ䷀, a hexagram: no reading
        // The table built from them is the one the normalizer uses.
        let built = try PinyinTable()
        #expect((PinyinTable.firstScalar...PinyinTable.lastScalar).allSatisfy { built.readings($0) == table.readings($0) })
        #expect(built.syllable(built.primary(0x5355)) == "dan")   // 单
    }

    // MARK: surname readings of the first character (§5.1)

    @Test func shanTianfang() {
        #expect(names.normalize("单田芳").pinyin == "shantianfang")
        #expect(names.normalize("單田芳").pinyin == "shantianfang")
        // Inside the name 单 keeps its common reading.
        #expect(names.normalize("张单").pinyin == "zhangdan")
    }

    @Test(arguments: [
        ("曾国藩", "zengguofan"), ("解缙", "xiejin"), ("朴槿惠", "piaojinhui"), ("缪可", "miaoke"),
        ("区永康", "ouyongkang"), ("仇英", "qiuying"), ("查良镛", "zhaliangyong"), ("盖叫天", "gejiaotian"),
        ("翟志刚", "zhaizhigang"), ("任正非", "renzhengfei"), ("种师道", "chongshidao"),
        ("尉迟敬德", "yuchijingde"), ("万俟卨", "moqixie"), ("诸葛亮", "zhugeliang"), ("令狐冲", "linghuchong"),
        ("长孙无忌", "zhangsunwuji"), ("欧阳修", "ouyangxiu"), ("覃雪", "qinxue"),
    ])
    func surnameReadings(name: String, pinyin: String) {
        #expect(names.normalize(name).pinyin == pinyin)
    }

    @Test func surnameReadingOnlyForFirstCharacter() {
        #expect(names.normalize("李曾").pinyin == "lizeng" || names.normalize("李曾").pinyin == "liceng")
        #expect(names.normalize("王解").pinyin == "wangjie")
        #expect(names.normalize("陈区").pinyin == "chenqu")
        #expect(names.normalize("万伟").pinyin == "wanwei")       // single surname 万 is wan
    }

    // MARK: heteronyms

    @Test func heteronymsListAllReadings() {
        #expect(Set(readings("单")).isSuperset(of: ["dan", "shan", "chan"]))
        #expect(Set(readings("曾")).isSuperset(of: ["zeng", "ceng"]))
        #expect(Set(readings("解")).isSuperset(of: ["jie", "xie"]))
        #expect(Set(readings("朴")).isSuperset(of: ["piao", "pu", "po"]))
        #expect(Set(readings("缪")).isSuperset(of: ["miao", "mou", "miu"]))
        #expect(Set(readings("区")).isSuperset(of: ["qu", "ou"]))
        #expect(Set(readings("仇")).isSuperset(of: ["chou", "qiu"]))
        #expect(Set(readings("查")).isSuperset(of: ["cha", "zha"]))
        #expect(Set(readings("盖")).isSuperset(of: ["gai", "ge"]))
        #expect(Set(readings("翟")).isSuperset(of: ["zhai", "di"]))
        #expect(Set(readings("乐")).isSuperset(of: ["le", "yue"]))
        #expect(Set(readings("尉")).isSuperset(of: ["wei", "yu"]))
        #expect(Set(readings("万")).isSuperset(of: ["wan", "mo"]))
        #expect(Set(readings("长")).isSuperset(of: ["chang", "zhang"]))
        #expect(Set(readings("重")).isSuperset(of: ["zhong", "chong"]))
        #expect(Set(readings("种")).isSuperset(of: ["zhong", "chong"]))
        #expect(Set(readings("覃")).isSuperset(of: ["qin", "tan"]))
        #expect(Set(readings("员")).isSuperset(of: ["yuan", "yun"]))
        #expect(readings("任").contains("ren"))
        #expect(readings("张") == ["zhang"])
    }

    @Test func primaryReadingsAreToneless() {
        #expect(table.syllable(table.primary(0x5F20)) == "zhang")    // 张
        #expect(table.syllable(table.primary(0x5973)) == "nv")       // 女: ü written v
        #expect(table.syllable(table.primary(0x5415)) == "lv")       // 吕
        #expect(table.syllable(table.primary(0x5730)) == "di")       // 地 (ICU says de)
        #expect(table.primary(0x20000) == 0)                          // 𠀀: outside the table
        #expect(table.syllableID("zhang") != nil)
        #expect(table.syllableID("zhang")! < 421)                      // a stable id from Data/
    }

    // MARK: homophones (§5.4)

    @Test func zhangWeiHomophones() {
        let a = names.normalize("张伟"), b = names.normalize("章伟"), c = names.normalize("张玮")
        #expect(a.pinyin == "zhangwei")
        #expect(a.pinyinKey == b.pinyinKey)
        #expect(a.pinyinKey == c.pinyinKey)
        #expect(a.pinyin == b.pinyin)
        #expect(a.folded != b.folded)
    }

    @Test(arguments: [("陈", "程"), ("林", "凌"), ("刘", "牛"), ("胡", "符"), ("周", "邹"), ("沈", "森")])
    func dialectMergersShareOnlyTheFuzzyKey(a: String, b: String) {
        let x = names.normalize(a + "伟"), y = names.normalize(b + "伟")
        #expect(x.pinyinKey != y.pinyinKey)
        #expect(x.fuzzyKey == y.fuzzyKey)
        #expect(x.fuzzyPinyin == y.fuzzyPinyin)
    }

    @Test func fuzzyRules() {
        #expect(PinyinTable.fuzzy("zhang") == "zan")
        #expect(PinyinTable.fuzzy("cheng") == "cen")
        #expect(PinyinTable.fuzzy("shi") == "si")
        #expect(PinyinTable.fuzzy("liu") == "niu")
        #expect(PinyinTable.fuzzy("hu") == "fu")
        #expect(PinyinTable.fuzzy("xiang") == "xian")
        #expect(PinyinTable.fuzzy("ming") == "min")
        #expect(PinyinTable.fuzzy("wei") == "wei")
    }

    @Test func sharesAnyReadingCombination() {
        let shan = names.normalize("单田芳")
        #expect(names.sharesReading(shan, names.normalize("善田芳")))
        #expect(names.sharesReading(shan, names.normalize("单田芳")))
        #expect(names.sharesReading(names.normalize("曾伟"), names.normalize("层伟")))   // ceng
        #expect(names.sharesReading(names.normalize("张朴"), names.normalize("张瓢")))   // piao in the given name
        #expect(names.sharesReading(names.normalize("张伟"), names.normalize("章玮")))
        #expect(!names.sharesReading(names.normalize("陈伟"), names.normalize("程伟")))
        #expect(!names.sharesReading(names.normalize("张伟"), names.normalize("张伟伟")))
        #expect(names.sharesReading(names.normalize("Zhang Wei"), names.normalize("zhang wei")))
        #expect(!names.sharesReading(names.normalize(""), names.normalize("")))
    }

    @Test func givenNameKeys() {
        let a = names.normalize("张伟"), b = names.normalize("李玮")
        #expect(a.givenPinyinKey == NameHash.fnv1a("wei"))
        #expect(a.givenPinyinKey == b.givenPinyinKey)
        #expect(names.normalize("欧阳娜娜").givenPinyinKey == NameHash.fnv1a("nana"))
        #expect(names.normalize("买买提·吐尔逊").givenPinyinKey == NameHash.fnv1a("maimaiti"))
        #expect(names.normalize("张明").givenFuzzyKey == names.normalize("张敏").givenFuzzyKey)
        #expect(names.normalize("张明").givenPinyinKey != names.normalize("张敏").givenPinyinKey)
        #expect(names.normalize("伟").givenPinyinKey == NameHash.fnv1a("wei"))
        #expect(names.normalize("Mary Ann Smith").givenPinyinKey == NameHash.fnv1a("maryann"))
        #expect(names.normalize("").givenPinyinKey == 0)
    }

    @Test func longMinorityNameIsKeptWhole() {
        // The 民委 notice requires name fields of at least 25 Chinese characters; nothing is cut.
        let raw = "阿卜杜热合曼・买买提・艾力・吐尔逊・阿不都瓦依提・克里木"
        let p = names.normalize(raw)
        #expect(p.folded == "阿卜杜热合曼·买买提·艾力·吐尔逊·阿不都瓦依提·克里木")
        #expect(p.units.count == 23)   // longer than the 16 a too-narrow validator allows
        #expect(p.givenName == "阿卜杜热合曼")
        #expect(p.surname == "买买提·艾力·吐尔逊·阿不都瓦依提·克里木")
    }

    @Test func keysAreStableFNV() {
        // FNV-1a 64 of "zhangwei", fixed so keys stay identical across runs and machines.
        #expect(NameHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(NameHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(names.normalize("张伟").pinyinKey == NameHash.fnv1a("zhangwei"))
        #expect(names.normalize("陈伟").fuzzyKey == NameHash.fnv1a("cenwei"))
    }
}
