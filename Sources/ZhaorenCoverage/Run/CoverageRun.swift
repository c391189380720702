import Dispatch
import Foundation
import Zhaoren
import ZhaorenSupport

/// One run of the 数据找人 coverage workflow: read every source, build the population base,
/// link every list to it, evaluate the label and action rules per person, link the tax list
/// to the enterprise registry and evaluate the enterprise rules.
///
/// ```swift
/// let settings = try CoverageSettings.load(URL(fileURLWithPath: "city/coverage.json"))
/// let run = try CoverageRun(settings: settings)
/// let result = try run.run(rejects: URL(fileURLWithPath: "out/rejects.csv"))
/// print(result.persons.count)
/// ```
public struct CoverageRun: Sendable {
    /// The settings, validated.
    public let settings: CoverageSettings
    /// The reference date.
    public let asOf: CivilDate
    let people: RuleBook
    let enterpriseBook: RuleBook
    let insuredEmployee: RuleBook

    /// Compiles the rules of `settings`; `asOf` overrides the settings' reference date.
    public init(settings: CoverageSettings, asOf: CivilDate? = nil) throws(ZhaorenError) {
        try settings.validate()
        self.settings = settings
        if let asOf {
            self.asOf = asOf
        } else if let text = settings.asOf, let date = DateParser.parse(text).date {
            self.asOf = date
        } else {
            self.asOf = CivilDate.todayInChina()
        }
        do {
            people = try RuleBook(schema: try PersonFacts.schema(for: settings), labels: settings.labels ?? CoverageSettings.defaultLabels,
                                  actions: settings.actions ?? CoverageSettings.defaultActions)
            enterpriseBook = try RuleBook(schema: EnterpriseFacts.schema,
                                          labels: settings.enterpriseLabels ?? CoverageSettings.defaultEnterpriseLabels, actions: [])
            insuredEmployee = try RuleBook(schema: RuleSchema(facts: PersonFacts.accountFields, collections: [:]),
                                           labels: [.init(name: "insured_employee", when: CoverageSettings.insuredEmployeeRule)], actions: [])
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.settings, "\(error)")
        }
    }

    /// Runs the workflow. Unreadable rows of every source go to `rejects` (if given).
    /// - Parameters:
    ///   - keepRows: keep the person lists and each row's person in ``CoverageResult/rows``
    ///     (a population base stores them).
    ///   - progress: called with a short line per stage, for stderr.
    public func run(rejects: URL? = nil, keepRows: Bool = false,
                    progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> CoverageResult {
        var timings: [StageTiming] = []
        var watch = Stopwatch()
        func lap(_ stage: String) {
            timings.append(StageTiming(stage: stage, seconds: watch.lap()))
            progress?("\(stage): \(String(format: "%.2f", timings.last!.seconds)) s")
        }

        // Read: person lists with the population sources first, then the enterprise lists.
        let rejectWriter = try rejects.map { url throws(ZhaorenError) in try RejectWriter(url) }
        let ordered = settings.sources.filter { $0.kind == .population } + settings.sources.filter { $0.kind != .population }
        var personTables: [SourceTable] = []
        var enterpriseTables: [SourceTable] = []
        for table in try SourceTable.read(ordered, rejects: rejectWriter) {
            if table.source.kind.isPersonList { personTables.append(table) } else { enterpriseTables.append(table) }
        }
        try rejectWriter?.commit()
        for table in personTables + enterpriseTables {
            for note in table.statistics.notes { progress?("\(table.source.name): \(note)") }
        }
        lap("read")

        // Identity.
        let normalizer: NameNormalizer
        do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, error.description) }
        let matcher = EngineMatcher(threshold: settings.matchThreshold ?? 0.9, normalizer: normalizer,
                                    fallback: NameBirthMatcher(), progress: progress.map { p in { @Sendable in p("  engine: \($0)") } })
        let base = PersonBase.build(tables: personTables, asOf: asOf, normalizer: normalizer, matcher: matcher)
        // What follows reads each person's canonical number, not the ID column: it goes (unless
        // the rows are kept whole for a population base).
        if !keepRows { personTables = personTables.map { $0.dropping(["id"]) } }
        lap("link persons")

        // Where each person lives and is registered.
        let areas = AreaResolver.resolve(tables: personTables, base: base, settings: settings)
        // Addresses were read to place persons and nothing later reads them: their text goes too.
        if !keepRows { personTables = personTables.map { $0.dropping(["address"]) } }
        lap("place persons")

        // Facts, labels and actions per person.
        let facts = PersonFacts(tables: personTables, base: base, areas: areas, settings: settings, schema: people.schema, asOf: asOf)
        var order: [Int] = []
        let persons = facts.evaluate(people, order: &order)
        lap("label persons")

        // Enterprises.
        let enterpriseFacts = EnterpriseFacts(tables: enterpriseTables, accounts: facts, normalizer: normalizer,
                                              localRegions: settings.localRegionPrefixes)
        let enterprises = enterpriseFacts.evaluate(enterpriseBook, insuredEmployee: insuredEmployee)
        lap("label enterprises")

        var read: [String: Int] = [:]
        var rejected: [String: [String: Int]] = [:]
        for table in personTables + enterpriseTables {
            read[table.source.name] = table.statistics.rowsRead
            let reasons = table.statistics.rejectedByReason
            if !reasons.isEmpty {
                rejected[table.source.name] = Dictionary(uniqueKeysWithValues: reasons.map { ("\($0.key)", $0.value) })
            }
        }
        let quality = CoverageQuality(rowsRead: read, rowsRejected: rejected, idIssues: base.idIssues,
                                      unresolved: facts.unresolvedRecords(), areas: areas.sources,
                                      personsWithVillage: areas.personsWithVillage, townshipsKnown: areas.townshipsKnown,
                                      villagesKnown: areas.villagesKnown, employers: enterpriseFacts.counts)
        var result = CoverageResult(
            asOf: asOf, labelNames: labelNames, actions: actions,
            enterpriseLabelNames: enterpriseBook.labels.map(\.name),
            persons: persons, enterprises: enterprises, quality: quality, timings: timings,
            matchWeights: facts.linkWeights())
        result.unmatchedEmployers = enterpriseFacts.unmatched
        result.areaSeed = areas.seed
        result.linkModel = matcher.trained.model
        if keepRows {
            var resultIndex = [Int32](repeating: -1, count: base.count)
            for (k, p) in order.enumerated() { resultIndex[p] = Int32(k) }
            result.rows = CoverageRows(tables: personTables,
                                       person: base.person.map { $0.map { $0 >= 0 ? resultIndex[Int($0)] : -1 } },
                                       confidence: base.confidence)
        }
        return result
    }
}
