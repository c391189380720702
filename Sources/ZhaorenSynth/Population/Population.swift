import Zhaoren

/// The hidden population in flat arrays, one slot per person: what every department file is
/// an imperfect view of. Persons of one household are contiguous.
struct Population: Sendable {
    /// Bits of ``flags``.
    enum Flag {
        /// In the police household register.
        static let resident: UInt32 = 1 << 0
        /// Lives here without household registration (not in the police register).
        static let migrant: UInt32 = 1 << 1
        /// Registered here but moved away (police status 迁出).
        static let movedOut: UInt32 = 1 << 2
        /// The police register still shows the 15-digit number.
        static let id15: UInt32 = 1 << 3
        /// The police register shows 死亡注销.
        static let policeDeath: UInt32 = 1 << 4
        /// In the death register.
        static let deathRegister: UInt32 = 1 << 5
        /// In the students list.
        static let student: UInt32 = 1 << 6
        /// In the 低保 list.
        static let dibao: UInt32 = 1 << 7
        /// In the 特困 list.
        static let tekun: UInt32 = 1 << 8
        /// Found by the grid survey.
        static let surveyed: UInt32 = 1 << 9
        /// Entered twice in the survey.
        static let surveyedTwice: UInt32 = 1 << 10
        /// Works for an enterprise.
        static let employee: UInt32 = 1 << 11
        /// Works for a government body or public institution.
        static let civilServant: UInt32 = 1 << 12
    }

    /// Persons still alive carry this death day.
    static let alive = Int32.max

    static let ethnicities = ["汉族", "回族", "维吾尔族", "哈萨克族", "蒙古族", "满族", "东乡族"]
    static let relations = ["户主", "配偶", "子女", "父母", "孙子女"]

    var count = 0
    /// Surname index, or `CharTable.none` for a dotted minority name.
    var surname: [UInt16] = []
    /// Given-name character ids (or, for dotted names, minority part ids: own name, father's name).
    var given1: [UInt16] = []
    var given2: [UInt16] = []
    var female: [Bool] = []
    var birth: [Int32] = []
    var death: [Int32] = []
    /// The 6-digit region code of the ID number.
    var region: [UInt32] = []
    /// The canonical 18-character ID numbers, 18 bytes per person.
    var ids: [UInt8] = []
    var household: [UInt32] = []
    var relation: [UInt8] = []
    var ethnicity: [UInt8] = []
    /// Mobile number, or 0.
    var phone: [UInt64] = []
    var flags: [UInt32] = []
    /// 0, or disability type (1–7) × 16 + level (1–4).
    var disability: [UInt8] = []

    // Households.
    var householdVillage: [UInt32] = []
    var householdGrid: [UInt32] = []
    var householdHouse: [UInt16] = []
    var householdGroup: [UInt8] = []
    /// First member of each household; one extra entry at the end.
    var householdFirst: [UInt32] = []
    var householdMigrant: [Bool] = []

    var householdCount: Int { householdVillage.count }

    @inline(__always) func has(_ p: Int, _ flag: UInt32) -> Bool { flags[p] & flag != 0 }
    @inline(__always) func isAlive(_ p: Int) -> Bool { death[p] == Self.alive }
    @inline(__always) func isDotted(_ p: Int) -> Bool { surname[p] == CharTable.none }

    /// The ID number of person `p` as bytes.
    func id(_ p: Int) -> ArraySlice<UInt8> { ids[(p * 18)..<(p * 18 + 18)] }

    /// The ID number of person `p` as text.
    func idString(_ p: Int) -> String { String(decoding: id(p), as: UTF8.self) }

    /// Age in whole years at `date` (or at death, if earlier, when `atDeath`).
    func age(_ p: Int, at date: CivilDate) -> Int {
        CivilDate(dayNumber: birth[p]).years(to: date)
    }
}
