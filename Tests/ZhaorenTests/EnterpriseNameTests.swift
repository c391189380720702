import Testing
import Zhaoren

@Suite struct EnterpriseNameTests {
    let e = EnterpriseNameNormalizer(characters: sharedNames)

    @Test func regionPrefixesAndLegalFormsFold() {
        let a = e.normalize("宁夏固原市某某商贸有限公司")
        let b = e.normalize("固原某某商贸有限责任公司")
        #expect(a.key == "某某商贸")
        #expect(b.key == "某某商贸")
        #expect(a.keyHash == b.keyHash)
        #expect(a.region == "宁夏固原市")
        #expect(b.region == "固原")
        #expect(a.legalForm == "有限公司")
        #expect(b.legalForm == "有限责任公司")
        #expect(e.normalize("宁夏回族自治区固原市原州区某某商贸有限公司").key == "某某商贸")
        #expect(e.normalize("彭阳县某某养殖专业合作社").key == "某某养殖")
    }

    @Test func trailingPlaceIsABranch() {
        let a = e.normalize("某某超市（彭阳）")
        #expect(a.key == "某某超市")
        #expect(a.branch == "彭阳")
        #expect(a.original == "某某超市（彭阳）")
        #expect(e.normalize("某某超市(彭阳)").key == a.key)
    }

    @Test func branchSuffixes() {
        let a = e.normalize("中国某某股份有限公司宁夏固原销售分公司")
        #expect(a.key == "中国某某")
        #expect(a.branch == "宁夏固原销售分公司")
        #expect(a.legalForm == "股份有限公司")
        let b = e.normalize("某某超市彭阳分店")
        #expect(b.key == "某某超市")
        #expect(b.branch == "彭阳分店")
        #expect(e.normalize("某某银行固原营业部").branch == "固原营业部")
    }

    @Test func widthSpacesAndParentheses() {
        let a = e.normalize(" 固原 某某（宁夏）商贸有限公司 ")
        #expect(a.key == "某某商贸")
        #expect(e.normalize("ＡＢＣ科技有限公司").key == "abc科技")
        #expect(e.normalize("某某【集团】股份有限公司").key == "某某")
        #expect(e.normalize("某某集团有限公司").legalForm == "集团有限公司")
    }

    @Test func traditionalIsFolded() {
        #expect(e.normalize("固原某某商貿有限公司").key == "某某商贸")
    }

    @Test func regionTableNamesArePrefixesToo() {
        // 朝阳区 (Beijing) and the old 固原县 come from the GB/T 2260 table, not the embedded list.
        #expect(e.normalize("北京市朝阳区某某科技有限公司").key == "某某科技")
        #expect(e.normalize("固原县某某商贸公司").key == "某某商贸")
        #expect(EnterpriseNameNormalizer(regions: nil).normalize("固原县某某商贸公司").key == "县某某商贸")
    }

    @Test func shortNamesAreNotEmptied() {
        #expect(e.normalize("固原公司").key == "固原")
        #expect(e.normalize("").key == "")
        #expect(e.normalize("").keyHash == 0)
    }
}
