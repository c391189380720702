import Zhaoren
import ZhaorenSupport

/// The hidden enterprises (registered or only known to the tax office), the other employers
/// (government bodies here, enterprises elsewhere), and who works where.
struct Enterprises: Sendable {
    /// Registration status: 存续, 注销, 吊销.
    static let statuses = ["存续", "注销", "吊销"]
    /// Government bodies of each county (8 per county, in this order).
    static let governmentBodies = ["教育局", "卫生健康局", "人民医院", "财政局", "公安局", "人力资源和社会保障局", "第一中学", "自然资源局"]
    /// Cities of the enterprises elsewhere that employ the city's people.
    static let otherCities = ["银川市", "西安市", "兰州市", "北京市", "深圳市", "苏州市", "石嘴山市", "吴忠市"]
    static let types = ["有限责任公司(自然人投资或控股)", "有限责任公司(自然人独资)", "股份有限公司(非上市)", "个人独资企业"]

    var count = 0
    /// 18-character unified social credit codes, 18 bytes per enterprise.
    var codes: [UInt8] = []
    var names: [String] = []
    var taxNames: [String] = []
    var county: [UInt8] = []
    var founded: [Int32] = []
    var status: [UInt8] = []
    var type: [UInt8] = []
    var inRegistry: [Bool] = []
    var inTax: [Bool] = []
    var legacyTaxID: [Bool] = []
    /// Staff as reported to the tax office (= persons assigned to it).
    var headcount: [Int32] = []
    /// Staff with a 正常缴费 enterprise-employee pension account under its code.
    var insured: [Int32] = []
    var monthlyWage: [Int32] = []
    /// Codes of other employers (government bodies here, enterprises elsewhere), 18 bytes each.
    var otherCodes: [UInt8] = []
    /// Names of the other employers (`固原市原州区教育局`, `西安市华宇商贸有限公司`).
    var otherNames: [String] = []
    var governmentUnits = 0

    func code(_ e: Int) -> String { String(decoding: codes[(e * 18)..<(e * 18 + 18)], as: UTF8.self) }
    func otherCode(_ k: Int) -> String { String(decoding: otherCodes[(k * 18)..<(k * 18 + 18)], as: UTF8.self) }

    /// The credit-code characters usable in a generated organisation code.
    static let codeAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// A valid USCC: `9`/`1` authority, type, region, GB 11714 organisation code with its
    /// check, and the GB 32100 check.
    static func makeCode(authority: UInt8, type: UInt8, region: UInt32, modern: Bool, _ rng: inout SeededGenerator) -> [UInt8] {
        var code = [authority, type]
        Population.appendDigits(Int(region), width: 6, to: &code)
        var org = [UInt8]()
        if modern {
            org = Array("MA7".utf8)
            for _ in 0..<5 { org.append(codeAlphabet[rng.below(codeAlphabet.count)]) }
        } else {
            for _ in 0..<8 { org.append(UInt8(48 + rng.below(10))) }
        }
        org.append(CheckDigits.organizationCode(org)!)
        code.append(contentsOf: org)
        code.append(CheckDigits.creditCode(code)!)
        return code
    }
}
