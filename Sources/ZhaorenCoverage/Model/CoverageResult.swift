import Zhaoren
import ZhaorenSupport

/// Everything one coverage run found: the persons of the population base with their labels
/// and recommended actions, the enterprise findings, and the data-quality counts. The output
/// writers (CSV files, worklists, summary, report) read only this.
///
/// ```swift
/// let result: CoverageResult = try CoverageRun(settings: settings).run()
/// try CoverageOutput(result).write(to: outFolder, unmask: false, previous: nil, targets: nil)
/// ```
public struct CoverageResult: Sendable {
    /// The reference date of the run (ages and "still paid after death" are judged at it).
    public var asOf: CivilDate
    /// Label names in rule order (indices in ``CoveragePerson/labels`` point here).
    public var labelNames: [String]
    /// Recommended actions in priority order (indices in ``CoveragePerson/action`` point here).
    public var actions: [CoverageAction]
    /// Enterprise label names in rule order (indices in ``CoverageEnterprise/labels`` point here).
    public var enterpriseLabelNames: [String]
    /// One entry per person of the population base, in a stable order (by key).
    public var persons: [CoveragePerson]
    /// One entry per enterprise seen in the registry or the tax list, in a stable order (by key).
    public var enterprises: [CoverageEnterprise]
    /// Data-quality findings.
    public var quality: CoverageQuality
    /// Seconds spent per stage, in run order (e.g. `("read", 1.2)`).
    public var timings: [StageTiming]
    /// Match weights of the accepted links, for the report's distribution chart.
    public var matchWeights: [Float]
    /// Insurance accounts whose employer could not be attributed (see ``EmployerMatchCounts``).
    public var unmatchedEmployers: [UnmatchedEmployerAccount] = []
    /// The rows behind the persons, when the run was asked to keep them
    /// (``CoverageRun/run(rejects:keepRows:progress:)``): what a population base stores so that
    /// a later update links only the rows that changed.
    public var rows: CoverageRows? = nil
    /// The places the run learned from its data (for a later run on a few rows).
    public var areaSeed = AreaSeed()
    /// The model that linked the records without a usable ID number (nil when none was trained).
    public var linkModel: FellegiSunterModel? = nil

    public init(asOf: CivilDate, labelNames: [String], actions: [CoverageAction], enterpriseLabelNames: [String],
                persons: [CoveragePerson], enterprises: [CoverageEnterprise], quality: CoverageQuality,
                timings: [StageTiming], matchWeights: [Float]) {
        self.asOf = asOf
        self.labelNames = labelNames
        self.actions = actions
        self.enterpriseLabelNames = enterpriseLabelNames
        self.persons = persons
        self.enterprises = enterprises
        self.quality = quality
        self.timings = timings
        self.matchWeights = matchWeights
    }
}

/// The person lists a run read and which person each row became.
///
/// ```swift
/// let result = try CoverageRun(settings: settings).run(keepRows: true)
/// let rows = result.rows!
/// rows.tables[0].value("name", row: 0)      // the first row's name
/// result.persons[Int(rows.person[0][0])]     // its person
/// ```
public struct CoverageRows: Sendable {
    /// The person lists, as read (population sources first).
    public var tables: [SourceTable]
    /// Per table, per row: the index in ``CoverageResult/persons`` of the row's person.
    public var person: [[Int32]]
    /// Per table, per row: the confidence of the row's link (1 for a valid ID number).
    public var confidence: [[Float]]

    /// Creates the rows of a run.
    public init(tables: [SourceTable], person: [[Int32]], confidence: [[Float]]) {
        self.tables = tables
        self.person = person
        self.confidence = confidence
    }
}

/// A recommended action as settings define it.
public struct CoverageAction: Hashable, Sendable, Codable {
    /// A short code (e.g. `enterprise_pension`).
    public var name: String
    /// What the worker should do, in Chinese (e.g. 动员参加企业职工基本养老保险).
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// Where a person lives: the four levels of the city's grid management.
public struct AreaPath: Hashable, Sendable, Comparable {
    /// County or district (县/区), e.g. 原州区.
    public var county: String
    /// Township or street (乡/镇/街道).
    public var township: String
    /// Village or community (村/社区).
    public var village: String
    /// Grid (网格).
    public var grid: String

    public init(county: String, township: String, village: String, grid: String) {
        self.county = county
        self.township = township
        self.village = village
        self.grid = grid
    }

    /// An area with every level unknown (written as 未知).
    public static let unknown = AreaPath(county: "", township: "", village: "", grid: "")

    public static func < (a: AreaPath, b: AreaPath) -> Bool {
        (a.county, a.township, a.village, a.grid) < (b.county, b.township, b.village, b.grid)
    }
}

/// One person of the population base.
public struct CoveragePerson: Sendable {
    /// The canonical 18-digit ID number when known, otherwise `source:row` of one of the records.
    public var key: String
    /// The 18-digit ID number, if known (for masking in worklists).
    public var idNumber: String?
    /// The name as best recorded (the population register's spelling first).
    public var name: String
    /// Sex, if known.
    public var sex: Sex?
    /// Birth date, if known.
    public var birthDate: CivilDate?
    /// Age in whole years at the reference date, if the birth date is known.
    public var age: Int?
    /// Where the person lives.
    public var area: AreaPath
    /// A mobile or landline phone, if any record has one.
    public var phone: String?
    /// Indices into ``CoverageResult/labelNames`` of the labels that hold, ascending.
    public var labels: [Int]
    /// Index into ``CoverageResult/actions`` of the recommended action, if any.
    public var action: Int?
    /// Every source row linked to this person, sorted.
    public var records: [SourceRow]
    /// The lowest match probability among the links that made this person (1 for exact ID links).
    public var linkConfidence: Float
    /// Where the person is registered (户籍), when a registration source places them; the
    /// worklist ``area`` is where they live when a residence source says so.
    public var hukou: AreaPath
    /// Which kind of source ``area`` came from.
    public var areaOrigin: AreaOrigin

    public init(key: String, idNumber: String?, name: String, sex: Sex?, birthDate: CivilDate?, age: Int?,
                area: AreaPath, phone: String?, labels: [Int], action: Int?, records: [SourceRow], linkConfidence: Float,
                hukou: AreaPath = .unknown, areaOrigin: AreaOrigin = .none) {
        self.hukou = hukou
        self.areaOrigin = areaOrigin
        self.key = key
        self.idNumber = idNumber
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.age = age
        self.area = area
        self.phone = phone
        self.labels = labels
        self.action = action
        self.records = records
        self.linkConfidence = linkConfidence
    }
}

/// One enterprise, from the registry, the tax list or both.
public struct CoverageEnterprise: Sendable {
    /// The unified social credit code (or the legacy taxpayer number when no code is known).
    public var key: String
    /// The registered name (or the tax list's name when unregistered).
    public var name: String
    /// Headcount reported to the tax office, if in the tax list.
    public var reportedHeadcount: Int?
    /// Wage total reported to the tax office, if in the tax list.
    public var wageTotal: Double?
    /// Distinct persons with a paying (正常缴费) employee-pension account under this enterprise.
    public var insuredEmployees: Int
    /// Of ``insuredEmployees``, those whose account names the enterprise by its code (credit
    /// code, legacy taxpayer number or organisation code), and those found by the employer's
    /// name (a person found both ways counts under code).
    public var insuredByCode: Int, insuredByName: Int
    /// Whether the enterprise registry lists it.
    public var inRegistry: Bool
    /// Whether the tax list lists it.
    public var inTax: Bool
    /// The area of registration, when known.
    public var area: AreaPath
    /// Indices into ``CoverageResult/enterpriseLabelNames`` of the labels that hold.
    public var labels: [Int]
    /// Source rows of this enterprise.
    public var records: [SourceRow]

    public init(key: String, name: String, reportedHeadcount: Int?, wageTotal: Double?, insuredEmployees: Int,
                area: AreaPath, labels: [Int], records: [SourceRow], insuredByCode: Int? = nil, insuredByName: Int = 0,
                inRegistry: Bool = false, inTax: Bool? = nil) {
        self.inRegistry = inRegistry
        self.inTax = inTax ?? (reportedHeadcount != nil)
        self.insuredByCode = insuredByCode ?? insuredEmployees - insuredByName
        self.insuredByName = insuredByName
        self.key = key
        self.name = name
        self.reportedHeadcount = reportedHeadcount
        self.wageTotal = wageTotal
        self.insuredEmployees = insuredEmployees
        self.area = area
        self.labels = labels
        self.records = records
    }
}

/// Data-quality findings of a run.
public struct CoverageQuality: Sendable {
    /// Per source: rows read.
    public var rowsRead: [String: Int]
    /// Per source: rows rejected (unreadable), by reason.
    public var rowsRejected: [String: [String: Int]]
    /// Counts of ID-number issue codes over all person records (e.g. `bad_checksum`: 812).
    public var idIssues: [String: Int]
    /// Records whose identity could not be established (blank or broken ID, no confident match).
    public var unresolved: [SourceRow]
    /// Per person list, in settings order: how its rows were placed in villages.
    public var areas: [AreaSourceQuality]
    /// Persons placed in a village (the rest are in a worklist of the lowest level known).
    public var personsWithVillage: Int
    /// Townships and villages the run learned or was given (the gazetteer addresses were read with).
    public var townshipsKnown: Int, villagesKnown: Int
    /// How insurance accounts found their employer.
    public var employers: EmployerMatchCounts

    public init(rowsRead: [String: Int], rowsRejected: [String: [String: Int]], idIssues: [String: Int], unresolved: [SourceRow],
                areas: [AreaSourceQuality] = [], personsWithVillage: Int = 0, townshipsKnown: Int = 0, villagesKnown: Int = 0,
                employers: EmployerMatchCounts = EmployerMatchCounts()) {
        self.rowsRead = rowsRead
        self.rowsRejected = rowsRejected
        self.idIssues = idIssues
        self.unresolved = unresolved
        self.areas = areas
        self.personsWithVillage = personsWithVillage
        self.townshipsKnown = townshipsKnown
        self.villagesKnown = villagesKnown
        self.employers = employers
    }
}

/// How the insurance accounts that name an employer found it among the enterprises of the
/// registry and the tax list.
public struct EmployerMatchCounts: Sendable, Hashable, Codable {
    /// Accounts with an employer code or name.
    public var accounts = 0
    /// Found by a valid credit code, legacy taxpayer number or organisation code.
    public var byCode = 0
    /// Found by the employer's name, exactly (after removing region, legal form and branch).
    public var byName = 0
    /// Found by the employer's name one character apart from exactly one enterprise's.
    public var byFuzzyName = 0
    /// A valid code of an employer outside the registry and the tax list (a government body,
    /// an enterprise elsewhere): kept as its own employer.
    public var otherEmployer = 0
    /// The name matches two or more enterprises: not attributed.
    public var ambiguousName = 0
    /// Neither the code nor the name found an enterprise.
    public var notFound = 0
    /// A code given but not valid (mistyped); the name was tried instead.
    public var invalidCode = 0

    public init() {}
}

/// An insurance account whose employer was not attributed to an enterprise, as
/// `employers_unmatched.csv` lists it.
public struct UnmatchedEmployerAccount: Sendable, Hashable {
    /// The account's row.
    public var record: SourceRow
    /// The employer code as written (may be blank).
    public var code: String
    /// The employer name as written (may be blank).
    public var name: String
    /// `invalid_code` (and no name), `name_matches_several_enterprises`, `name_not_found`.
    public var reason: String

    public init(record: SourceRow, code: String, name: String, reason: String) {
        self.record = record
        self.code = code
        self.name = name
        self.reason = reason
    }
}
