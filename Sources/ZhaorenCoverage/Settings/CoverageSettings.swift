import Foundation
import Zhaoren

/// The settings of a coverage run: the sources, the reference date, the city's own region
/// codes, and every rule (labels, actions, enterprise labels) as data.
///
/// Settings are JSON. `zhaoren coverage --example-settings` prints a complete example; a city
/// made by `zhaoren generate` ships its own `coverage.json`.
///
/// ```swift
/// let settings = try CoverageSettings.load(URL(fileURLWithPath: "city/coverage.json"))
/// ```
public struct CoverageSettings: Codable, Sendable {
    /// The reference date, `YYYY-MM-DD` (ages, "paid after death"); `--as-of` overrides it.
    public var asOf: String?
    /// Region-code prefixes of the city itself (e.g. `"6404"`): an insurance account under any
    /// other code is out of region (区外参保).
    public var localRegionPrefixes: [String]
    /// Links below this match probability are not accepted (default 0.9).
    public var matchThreshold: Double?
    /// The input files.
    public var sources: [CoverageSource]
    /// Person labels, evaluated in order (defaults: ``CoverageSettings/defaultLabels``).
    public var labels: [RuleBook.Rule]?
    /// Recommended actions, in priority order (defaults: ``CoverageSettings/defaultActions``).
    public var actions: [RuleBook.Rule]?
    /// Enterprise labels (defaults: ``CoverageSettings/defaultEnterpriseLabels``).
    public var enterpriseLabels: [RuleBook.Rule]?
    /// Values of a population source's `household_status` column that mean the person's
    /// registration was cancelled on death (default `["死亡注销", "死亡"]`).
    public var deceasedStatuses: [String]?

    /// Creates settings.
    public init(asOf: String? = nil, localRegionPrefixes: [String], matchThreshold: Double? = nil,
                sources: [CoverageSource], labels: [RuleBook.Rule]? = nil, actions: [RuleBook.Rule]? = nil,
                enterpriseLabels: [RuleBook.Rule]? = nil, deceasedStatuses: [String]? = nil) {
        self.asOf = asOf
        self.localRegionPrefixes = localRegionPrefixes
        self.matchThreshold = matchThreshold
        self.sources = sources
        self.labels = labels
        self.actions = actions
        self.enterpriseLabels = enterpriseLabels
        self.deceasedStatuses = deceasedStatuses
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case asOf, localRegionPrefixes, matchThreshold, sources, labels, actions, enterpriseLabels, deceasedStatuses
    }

    /// Reads settings; an unknown key is an error that lists the accepted ones.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        asOf = try c.decodeIfPresent(String.self, forKey: .asOf)
        localRegionPrefixes = try c.decode([String].self, forKey: .localRegionPrefixes)
        matchThreshold = try c.decodeIfPresent(Double.self, forKey: .matchThreshold)
        sources = try c.decode([CoverageSource].self, forKey: .sources)
        labels = try c.decodeIfPresent([RuleBook.Rule].self, forKey: .labels)
        actions = try c.decodeIfPresent([RuleBook.Rule].self, forKey: .actions)
        enterpriseLabels = try c.decodeIfPresent([RuleBook.Rule].self, forKey: .enterpriseLabels)
        deceasedStatuses = try c.decodeIfPresent([String].self, forKey: .deceasedStatuses)
    }

    /// Reads settings from a JSON file; relative source paths are resolved against its folder.
    public static func load(_ url: URL) throws(ZhaorenError) -> CoverageSettings {
        let data = Data(try TextFile.read(url).utf8)
        var settings: CoverageSettings
        do { settings = try JSONDecoder().decode(CoverageSettings.self, from: data) } catch {
            throw ZhaorenError(.settings, Self.describe(error), file: url.path)
        }
        let folder = url.deletingLastPathComponent()
        for i in settings.sources.indices where !settings.sources[i].path.hasPrefix("/") {
            settings.sources[i].path = folder.appendingPathComponent(settings.sources[i].path).path
        }
        try settings.validate(file: url.path)
        return settings
    }

    /// The bytes of every source file (0 for one that cannot be read): what the outputs of a
    /// run are measured against when checking free space.
    public var inputBytes: Int {
        sources.reduce(0) { total, source in
            total + (((try? FileManager.default.attributesOfItem(atPath: source.path))?[.size] as? Int) ?? 0)
        }
    }

    /// The settings as pretty JSON with sorted keys (stable, diffable).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// Checks what JSON decoding cannot: known kinds, the roles each kind needs, a date.
    public func validate(file: String? = nil) throws(ZhaorenError) {
        if let asOf, case .failure = DateParser.parse(asOf) {
            throw ZhaorenError(.settings, "asOf \"\(asOf)\" is not a date (YYYY-MM-DD)", file: file)
        }
        var names = Set<String>()
        for source in sources {
            guard names.insert(source.name).inserted else {
                throw ZhaorenError(.settings, "two sources are named \(source.name)", file: file)
            }
            if source.kind == .list || source.facts != nil {
                guard Self.isRuleName(source.name) else {
                    throw ZhaorenError(.settings, "source \"\(source.name)\" (\(source.kind.rawValue)): a source whose facts rules read needs a name of letters, digits and _ (it becomes \(source.membershipFact) and \(source.name).FIELD in rules)", file: file)
                }
                if let facts = source.facts {
                    guard source.kind.isPersonList else {
                        throw ZhaorenError(.settings, "source \(source.name) (\(source.kind.rawValue)): facts are read from person lists only", file: file)
                    }
                    for fact in facts.keys.sorted() where !Self.isRuleName(fact) {
                        throw ZhaorenError(.settings, "source \(source.name): fact name \"\(fact)\" must be letters, digits and _", file: file)
                    }
                }
            }
            let accepted = source.kind.acceptedRoles
            for role in source.columns.keys.sorted() where !accepted.contains(role) {
                let near = accepted.min { editDistance($0, role) < editDistance($1, role) }
                let hint = near.flatMap { editDistance($0, role) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
                throw ZhaorenError(.settings, "source \(source.name) (\(source.kind.rawValue)): unknown role \"\(role)\"\(hint); "
                                   + "roles of this kind: \(accepted.joined(separator: ", "))", file: file)
            }
            for role in source.kind.requiredRoles where source.columns[role] == nil {
                throw ZhaorenError(.settings, "source \(source.name) (\(source.kind.rawValue)) needs a column for role \"\(role)\"; it has \(source.columns.keys.sorted().joined(separator: ", "))", file: file)
            }
        }
        guard sources.contains(where: { $0.kind == .population }) else {
            throw ZhaorenError(.settings, "no source of kind population: the population base is built from them", file: file)
        }
    }

    /// A name rules can use: a letter or `_`, then letters, digits and `_` (CJK letters count).
    static func isRuleName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong value at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription.prefix(300))"
        default:
            return "not valid settings JSON"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

/// One input file of a coverage run.
public struct CoverageSource: Codable, Sendable, Hashable {
    /// The source's name in outputs (`source:row`); defaults to the file name without extension.
    public var name: String
    /// The file's path (relative paths are resolved against the settings file's folder).
    public var path: String
    /// What the file means to the workflow.
    public var kind: CoverageSourceKind
    /// `auto` (default), `utf8` or `gb18030`.
    public var encoding: String?
    /// Role → header, or role → list of headers joined in order.
    public var columns: [String: CoverageColumns]
    /// Extra columns of a person list read as facts for the rules: fact name → header
    /// (`{"benefit_type": "保障类别"}` is `NAME.benefit_type` in a rule, for a source named NAME).
    public var facts: [String: String]?
    /// What the source's places mean: where the person lives (`residence`: the grid survey,
    /// 以房找人) or where they are registered (`registration`: the 户籍 register). The default is
    /// `residence` for a source with a `grid` or `area_code` column, else `registration`.
    /// A person's worklist village comes from a residence source first.
    public var area: CoverageAreaKind?
    /// For a workbook (`.xlsx`): the sheet to read, by name or 1-based position (the first by default).
    public var sheet: String?
    /// The row holding the column names (1-based); by default the first row among the first ten
    /// that names the most of the source's columns (title rows above it are skipped and reported).
    public var headerRow: Int?
    /// How `zhaoren base update` applies this file to a population base: `replace` (the
    /// default: this month's snapshot of a register replaces last month's) or `append` (the file
    /// holds new rows only: new survey households, new deaths).
    public var update: CoverageUpdateMode?

    /// Creates a source.
    public init(name: String, path: String, kind: CoverageSourceKind, encoding: String? = nil, columns: [String: CoverageColumns],
                facts: [String: String]? = nil, area: CoverageAreaKind? = nil, sheet: String? = nil, headerRow: Int? = nil,
                update: CoverageUpdateMode? = nil) {
        self.name = name
        self.path = path
        self.kind = kind
        self.encoding = encoding
        self.columns = columns
        self.facts = facts
        self.area = area
        self.sheet = sheet
        self.headerRow = headerRow
        self.update = update
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, path, kind, encoding, columns, facts, area, sheet, headerRow, update }

    /// Reads a source; an unknown key is an error that lists the accepted ones.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        path = try c.decode(String.self, forKey: .path)
        kind = try c.decode(CoverageSourceKind.self, forKey: .kind)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        columns = try c.decode([String: CoverageColumns].self, forKey: .columns)
        facts = try c.decodeIfPresent([String: String].self, forKey: .facts)
        area = try c.decodeIfPresent(CoverageAreaKind.self, forKey: .area)
        sheet = try c.decodeIfPresent(String.self, forKey: .sheet)
        headerRow = try c.decodeIfPresent(Int.self, forKey: .headerRow)
        update = try c.decodeIfPresent(CoverageUpdateMode.self, forKey: .update)
        if let headerRow, headerRow < 1 {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.headerRow], debugDescription: "headerRow must be 1 or more"))
        }
    }

    /// The role prefix of a fact column in ``columnSpec`` (`fact.benefit_type`).
    static let factRolePrefix = "fact."

    /// The column spec the reader takes: the mapped roles, then the fact columns.
    public var columnSpec: ColumnSpec {
        ColumnSpec(columns.keys.sorted().map { ColumnSpec.Entry(role: $0, headers: columns[$0]!.headers) }
                   + (facts ?? [:]).keys.sorted().map { ColumnSpec.Entry(role: Self.factRolePrefix + $0, headers: [facts![$0]!]) })
    }

    /// Whether the source's places say where people live (see ``area``).
    public var isResidence: Bool {
        if let area { return area == .residence }
        return columns["grid"] != nil || columns["area_code"] != nil
    }

    /// The fact a list gives every person linked to it: `in_NAME`.
    public var membershipFact: String { "in_" + name }
}

/// How a population base update applies a source's file.
public enum CoverageUpdateMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// The file is the register's whole current snapshot: rows no longer in it leave the base.
    case replace
    /// The file holds new rows only; the rows already in the base stay.
    case append
}

/// What a source's places (address, area columns, codes) say about a person.
public enum CoverageAreaKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Where the person lives (the grid survey).
    case residence
    /// Where the person is registered (户籍).
    case registration
}

/// A role's columns: one header (`"姓名"`) or several joined in order (`["乡镇", "村"]`).
public struct CoverageColumns: Codable, Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// The headers, in join order.
    public var headers: [String]

    public init(_ headers: [String]) { self.headers = headers }
    public init(stringLiteral value: String) { headers = [value] }
    public init(arrayLiteral elements: String...) { headers = elements }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) { headers = [one] } else { headers = try container.decode([String].self) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if headers.count == 1 { try container.encode(headers[0]) } else { try container.encode(headers) }
    }
}

/// The kinds of source the coverage workflow understands.
public enum CoverageSourceKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Police household register, grid survey: deduplicated together into the population base.
    case population
    /// One row per insurance account (scheme, status, insuring region, employer, last months).
    case insurance
    /// Students (excluded from "should enrol").
    case students
    /// 低保 recipients.
    case dibao
    /// 特困 persons.
    case tekun
    /// Disabled persons (with `disability_level`, 1 most severe).
    case disabled
    /// The death register (with `death_date`).
    case deaths
    /// Any other department list (veterans, land-expropriated farmers, delivery riders, 就业登记,
    /// 流动人口 …): every linked person gets the fact `in_NAME`, and the source's ``CoverageSource/facts``
    /// columns become `NAME.field` facts.
    case list
    /// The enterprise registry (market regulation).
    case enterprises
    /// The tax list of enterprises (taxpayer id, name, headcount, wage total).
    case tax

    /// Whether rows describe persons (else enterprises).
    public var isPersonList: Bool { self != .enterprises && self != .tax }

    /// A bit position per kind, for sets of kinds held in an integer.
    var bit: UInt16 {
        switch self {
        case .population: 0
        case .insurance: 1
        case .students: 2
        case .dibao: 3
        case .tekun: 4
        case .disabled: 5
        case .deaths: 6
        case .enterprises: 7
        case .tax: 8
        case .list: 9
        }
    }

    /// The roles a source of this kind may map: the required ones, the person or enterprise
    /// fields the workflow reads, and the engine's matching roles.
    public var acceptedRoles: [String] {
        let person = ["name", "surname", "given_name", "id", "sex", "birth", "phone", "address", "area", "other_id"]
        let places = ["county", "township", "village", "grid", "area_code"]
        let extra: [String]
        switch self {
        case .population: extra = places + ["household_status", "cancel_date"]
        case .insurance: extra = ["scheme", "status", "insuring_region", "employer", "employer_name", "last_paid", "last_benefit"]
        case .students, .dibao, .tekun, .list: extra = places
        case .disabled: extra = places + ["disability_level"]
        case .deaths: extra = ["death_date"]
        case .enterprises: return ["credit_code", "org_name", "address"]
        case .tax: return ["credit_code", "org_name", "headcount", "wage_total", "address"]
        }
        return person + extra
    }

    /// The roles a source of this kind must map.
    public var requiredRoles: [String] {
        switch self {
        case .population, .students, .dibao, .tekun, .disabled, .list: return ["name", "id"]
        case .insurance: return ["name", "id", "scheme", "status", "insuring_region"]
        case .deaths: return ["name", "id", "death_date"]
        case .enterprises: return ["credit_code", "org_name"]
        case .tax: return ["credit_code", "org_name", "headcount"]
        }
    }
}
