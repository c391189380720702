import Foundation
import Zhaoren

/// The comparison of this run's labels with a previous run's `labels.csv`: new, resolved and
/// persisting (person, label) cases, new enrolments, and their counts per area.
///
/// Persons are matched by key. A key made of `source:row` (a person without an ID number)
/// is only stable while the source files keep their row order, so such persons can show as
/// resolved under the old key and new under the new one.
struct CoverageChanges {
    /// What happened to one (person, label) case.
    enum Change: String {
        case new, resolved, persisting
    }

    /// Label names: this run's, then those only the previous run had.
    private(set) var labelTable: [String]
    /// Previous run: key → label ids (into ``labelTable``).
    private var previous: [String: [Int]]
    /// The previous run's folder (for its `persons.csv`).
    private let folder: URL

    /// Reads `folder/labels.csv` of a previous run.
    init(previous folder: URL, labelNames: [String]) throws(ZhaorenError) {
        self.folder = folder
        let file = folder.appendingPathComponent("labels.csv")
        let records = try Self.readCSV(file)
        guard let header = records.first, header.count >= 2, header[0] == "key", header[1] == "label" else {
            throw ZhaorenError(.malformedInput, "a previous run's labels.csv must start with the header key,label", file: file.path, line: 1)
        }
        var table = labelNames
        var ids: [String: Int] = [:]
        for (i, n) in labelNames.enumerated() { ids[n] = i }
        var previous: [String: [Int]] = [:]
        for record in records.dropFirst() {
            guard record.count >= 2, !record[0].isEmpty, !record[1].isEmpty else { continue }
            let id: Int
            if let known = ids[record[1]] {
                id = known
            } else {
                id = table.count
                ids[record[1]] = id
                table.append(record[1])
            }
            previous[record[0], default: []].append(id)
        }
        self.labelTable = table
        self.previous = previous
    }

    static func readCSV(_ file: URL) throws(ZhaorenError) -> [[String]] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ZhaorenError(.io, "cannot read: \(error.localizedDescription)", file: file.path)
        }
        do { return try CSVText.parse([UInt8](data)) } catch {
            throw ZhaorenError(.malformedInput, error.message, file: file.path, line: error.line)
        }
    }

    /// The outcome of ``compare(_:_:writing:includePersisting:)``.
    struct Outcome {
        var changes: CoverageSummary.Changes
        /// Per village of the tally: new enrolments (for targets).
        var enrolledByVillage: [CoverageTally.Village: Int]
    }

    /// Compares with this run, writing `key,label,change` rows sorted by key then label
    /// (`persisting` rows only if asked), and counts everything.
    func compare(_ result: CoverageResult, _ tally: CoverageTally, writing out: StagedFile?,
                 includePersisting: Bool) throws(ZhaorenError) -> Outcome {
        let names = labelTable
        func id(_ name: String) -> Int? { names.firstIndex(of: name) }
        let targetIDs = ["uninsured_should_enrol", "interrupted"].compactMap(id)
        let insuredNow = ["insured_local", "insured_elsewhere", "paying", "receiving_pension"]
            .compactMap { result.labelNames.firstIndex(of: $0) }
        let deceasedNow = result.labelNames.firstIndex(of: "deceased")

        var perLabel = [CoverageSummary.ChangeCounts](repeating: .init(new: 0, resolved: 0, persisting: 0), count: names.count)
        var areaNew: [CoverageTally.Village: Int] = [:]
        var areaResolved: [CoverageTally.Village: Int] = [:]
        var areaEnrolled: [CoverageTally.Village: Int] = [:]
        var enrolled = 0

        out?.append("key,label,change\n")
        func emit(_ key: String, _ label: Int, _ change: Change) {
            guard let out, change != .persisting || includePersisting else { return }
            out.append(CSVText.field(key) + "," + CSVText.field(names[label]) + "," + change.rawValue + "\n")
        }

        // Persons of the previous run no longer in the base: all their labels are resolved.
        var present = Set<String>()
        present.reserveCapacity(result.persons.count)
        for p in result.persons { present.insert(p.key) }
        let vanished = previous.keys.filter { !present.contains($0) }.sorted()
        present = []
        let vanishedAreas = vanished.isEmpty ? [:] : previousAreas(of: Set(vanished))
        var v = 0
        func emitVanished(upTo key: String?) {
            while v < vanished.count, key.map({ vanished[v] < $0 }) ?? true {
                let k = vanished[v]
                let area = vanishedAreas[k] ?? CoverageTally.Village(county: "", township: "", village: "")
                for label in Set(previous[k] ?? []).sorted() {
                    perLabel[label].resolved += 1
                    areaResolved[area, default: 0] += 1
                    emit(k, label, .resolved)
                }
                v += 1
            }
        }

        for p in tally.order {
            let person = result.persons[p]
            emitVanished(upTo: person.key)
            let before = Set(previous[person.key] ?? [])
            let now = Set(person.labels)
            let village = tally.villages[Int(tally.personVillage[p])]
            for label in before.union(now).sorted() {
                let change: Change = before.contains(label) ? (now.contains(label) ? .persisting : .resolved) : .new
                switch change {
                case .new:
                    perLabel[label].new += 1
                    areaNew[village, default: 0] += 1
                case .resolved:
                    perLabel[label].resolved += 1
                    areaResolved[village, default: 0] += 1
                case .persisting:
                    perLabel[label].persisting += 1
                }
                emit(person.key, label, change)
            }
            if targetIDs.contains(where: before.contains), !targetIDs.contains(where: now.contains),
               deceasedNow.map({ !now.contains($0) }) ?? true,
               insuredNow.isEmpty || insuredNow.contains(where: now.contains) {
                enrolled += 1
                areaEnrolled[village, default: 0] += 1
            }
        }
        emitVanished(upTo: nil)

        var total = CoverageSummary.ChangeCounts(new: 0, resolved: 0, persisting: 0)
        var labels: [String: CoverageSummary.ChangeCounts] = [:]
        for (i, c) in perLabel.enumerated() {
            labels[names[i]] = c
            total.new += c.new
            total.resolved += c.resolved
            total.persisting += c.persisting
        }
        let areas = Set(areaNew.keys).union(areaResolved.keys).union(areaEnrolled.keys).sorted()
        var villages: [CoverageSummary.ChangeArea] = []
        var townships: [CoverageSummary.ChangeArea] = []
        var counties: [CoverageSummary.ChangeArea] = []
        for a in areas {
            let n = areaNew[a] ?? 0, r = areaResolved[a] ?? 0, e = areaEnrolled[a] ?? 0
            villages.append(.init(county: a.county, township: a.township, village: a.village, new: n, resolved: r, enrolled: e))
            if let last = townships.last, last.county == a.county, last.township == a.township {
                townships[townships.count - 1].new += n
                townships[townships.count - 1].resolved += r
                townships[townships.count - 1].enrolled += e
            } else {
                townships.append(.init(county: a.county, township: a.township, village: nil, new: n, resolved: r, enrolled: e))
            }
            if let last = counties.last, last.county == a.county {
                counties[counties.count - 1].new += n
                counties[counties.count - 1].resolved += r
                counties[counties.count - 1].enrolled += e
            } else {
                counties.append(.init(county: a.county, township: nil, village: nil, new: n, resolved: r, enrolled: e))
            }
        }
        return Outcome(
            changes: .init(total: total, labels: labels, enrolled: enrolled,
                           counties: counties, townships: townships, villages: villages),
            enrolledByVillage: areaEnrolled)
    }

    /// Areas of the given keys from the previous run's `persons.csv` (columns `key`,
    /// `county`, `township`, `village`); empty if that file is missing or unreadable.
    private func previousAreas(of keys: Set<String>) -> [String: CoverageTally.Village] {
        let file = folder.appendingPathComponent("persons.csv")
        guard let records = try? Self.readCSV(file), let header = records.first,
              let k = header.firstIndex(of: "key"), let c = header.firstIndex(of: "county"),
              let t = header.firstIndex(of: "township"), let v = header.firstIndex(of: "village")
        else { return [:] }
        var out: [String: CoverageTally.Village] = [:]
        let width = max(k, c, t, v)
        for r in records.dropFirst() where r.count > width && keys.contains(r[k]) {
            func level(_ s: String) -> String { s == WorklistFileName.unknown ? "" : s }
            out[r[k]] = .init(county: level(r[c]), township: level(r[t]), village: level(r[v]))
        }
        return out
    }
}
