import Foundation
import Zhaoren

extension CoverageSummary {
    /// How many enterprises ``Enterprises/worst`` lists at most.
    static let worstLimit = 20

    /// Builds the summary of `result` from its tally; `changes` and `targets` when a previous
    /// run was compared.
    init(_ result: CoverageResult, _ tally: CoverageTally, changes: Changes?, targets: [TargetProgress]?) {
        let labelNames = result.labelNames
        let actionNames = result.actions.map(\.name)
        func rate(_ c: CoverageTally.Counts) -> Coverage {
            let rate: Double? = tally.workingAgeLabel != nil && c.workingAge > 0
                ? (Double(c.insured) / Double(c.workingAge) * 1_000_000).rounded() / 1_000_000 : nil
            return Coverage(workingAge: c.workingAge, insured: c.insured, rate: rate)
        }
        func nonZero(_ counts: [Int], _ names: [String]) -> [String: Int] {
            var out: [String: Int] = [:]
            for (i, n) in counts.enumerated() where n > 0 { out[names[i], default: 0] += n }
            return out
        }
        func all(_ counts: [Int], _ names: [String]) -> [String: Int] {
            var out: [String: Int] = [:]
            for (i, n) in counts.enumerated() { out[names[i], default: 0] += n }
            return out
        }
        func area(_ county: String, _ township: String?, _ village: String?, _ c: CoverageTally.Counts) -> Area {
            Area(county: county, township: township, village: village, persons: c.persons, needingAction: c.needingAction,
                 labels: nonZero(c.labels, labelNames), actions: nonZero(c.actions, actionNames), coverage: rate(c))
        }

        asOf = result.asOf.description
        persons = tally.total.persons
        personsNeedingAction = tally.total.needingAction
        labels = all(tally.total.labels, labelNames)
        actions = all(tally.total.actions, actionNames)
        coverage = Self.Coverage(workingAge: tally.total.workingAge, insured: tally.total.insured,
                                 rate: tally.workingAgeLabel != nil && tally.total.workingAge > 0
                                     ? (Double(tally.total.insured) / Double(tally.total.workingAge) * 1_000_000).rounded() / 1_000_000
                                     : nil)
        areas = Areas(
            counties: tally.counties().map { area($0.county, nil, nil, $0.counts) },
            townships: tally.townships().map { area($0.county, $0.township, nil, $0.counts) },
            villages: zip(tally.villages, tally.villageCounts).map { area($0.county, $0.township, $0.village, $1) })

        var enterpriseLabels = [Int](repeating: 0, count: result.enterpriseLabelNames.count)
        var gaps: [Enterprise] = []
        for e in result.enterprises {
            for l in e.labels where l >= 0 && l < enterpriseLabels.count { enterpriseLabels[l] += 1 }
            if let reported = e.reportedHeadcount, reported > e.insuredEmployees {
                gaps.append(Enterprise(
                    key: e.key, name: e.name, county: e.area.county, township: e.area.township,
                    reportedHeadcount: reported, insuredEmployees: e.insuredEmployees, gap: reported - e.insuredEmployees,
                    insuredByCode: e.insuredByCode, insuredByName: e.insuredByName,
                    labels: e.labels.compactMap { $0 >= 0 && $0 < result.enterpriseLabelNames.count ? result.enterpriseLabelNames[$0] : nil }))
            }
        }
        gaps.sort { $0.gap != $1.gap ? $0.gap > $1.gap : $0.key < $1.key }
        enterprises = Enterprises(count: result.enterprises.count,
                                  labels: all(enterpriseLabels, result.enterpriseLabelNames),
                                  worst: Array(gaps.prefix(Self.worstLimit)))

        let q = result.quality
        quality = Quality(rowsRead: q.rowsRead, rowsRejected: q.rowsRejected,
                          rejectedTotal: q.rowsRejected.values.reduce(0) { $0 + $1.values.reduce(0, +) },
                          idIssues: q.idIssues, unresolved: q.unresolved.count, personsWithVillage: q.personsWithVillage,
                          villageShare: tally.total.persons > 0
                              ? (Double(q.personsWithVillage) / Double(tally.total.persons) * 10_000).rounded() / 10_000 : 0,
                          areas: q.areas, townshipsKnown: q.townshipsKnown, villagesKnown: q.villagesKnown, employers: q.employers)
        timings = result.timings.map { Timing(stage: $0.stage, seconds: $0.seconds.isFinite ? $0.seconds : 0) }
        self.changes = changes
        self.targets = targets
    }

    /// The summary as pretty-printed JSON with sorted keys (byte-stable), ending in a newline.
    func json() throws(ZhaorenError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(self)
            data.append(0x0A)
            return data
        } catch {
            throw ZhaorenError(.internalInvariant, "cannot encode summary.json: \(error)")
        }
    }
}
