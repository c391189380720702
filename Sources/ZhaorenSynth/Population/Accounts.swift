/// Pension accounts, one slot per account (an insurance-register row), in person order.
struct Accounts: Sendable {
    static let schemes = ["企业职工基本养老保险", "城乡居民基本养老保险", "机关事业单位养老保险"]
    static let statuses = ["正常缴费", "中断缴费", "暂停缴费", "待遇领取", "终止参保"]

    enum Scheme { static let employee: UInt8 = 0, resident: UInt8 = 1, publicSector: UInt8 = 2 }
    enum Status { static let paying: UInt8 = 0, interrupted: UInt8 = 1, suspended: UInt8 = 2, receiving: UInt8 = 3, terminated: UInt8 = 4 }

    var count = 0
    var person: [UInt32] = []
    var scheme: [UInt8] = []
    /// The insuring region code (the city's own county code, or another).
    var region: [UInt32] = []
    var status: [UInt8] = []
    /// Employer: ≥ 0 an enterprise, ≤ −2 another employer (−2 − k), −1 none.
    var employer: [Int32] = []
    /// `YYYYMM`, or 0 when empty.
    var lastPaid: [Int32] = []
    var lastBenefit: [Int32] = []
    /// The register still shows the person's 15-digit number.
    var legacyID: [Bool] = []

    mutating func add(person p: Int, scheme s: UInt8, region r: UInt32, status st: UInt8, employer e: Int32 = -1,
                      lastPaid lp: Int32 = 0, lastBenefit lb: Int32 = 0) {
        person.append(UInt32(p)); scheme.append(s); region.append(r); status.append(st); employer.append(e)
        lastPaid.append(lp); lastBenefit.append(lb); legacyID.append(false)
        count += 1
    }

    /// `YYYYMM` shifted by `months` (negative = earlier).
    static func shift(_ yyyymm: Int32, by months: Int) -> Int32 {
        let index = Int(yyyymm / 100) * 12 + Int(yyyymm % 100) - 1 + months
        return Int32((index / 12) * 100 + index % 12 + 1)
    }
}
