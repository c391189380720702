import Foundation
import Zhaoren

/// The comparison of this run's labels with a previous run's `labels.csv`: new, resolved and
/// persisting (person, label) cases, new enrolments, and their counts per area.
///
/// Persons are matched by key, in one merge pass over both runs in key order (the previous
/// file is sorted first if it is not already, as `labels.csv` files written by
/// ``CoverageOutput`` are). A key made of `source:row` (a person without an ID number) is only
/// stable while the source files keep their row order, so such persons can show as resolved
/// under the old key and new under the new one. At most 128 distinct labels over both runs.
struct CoverageChanges {
    /// What happened to one (person, label) case.
    enum Change: String {
        case new, resolved, persisting
    }

    /// A set of label ids below 128.
    struct LabelBits: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        static let capacity = 128

        mutating func insert(_ id: Int) {
            if id < 64 { low |= 1 << UInt64(id) } else { high |= 1 << UInt64(id - 64) }
        }

        func contains(_ id: Int) -> Bool {
            id < 64 ? low & (1 << UInt64(id)) != 0 : high & (1 << UInt64(id - 64)) != 0
        }

        static func | (a: LabelBits, b: LabelBits) -> LabelBits { LabelBits(low: a.low | b.low, high: a.high | b.high) }

        /// The ids in ascending order.
        var ids: [Int] {
            var out: [Int] = []
            var w = low
            while w != 0 {
                out.append(w.trailingZeroBitCount)
                w &= w - 1
            }
            w = high
            while w != 0 {
                out.append(64 + w.trailingZeroBitCount)
                w &= w - 1
            }
            return out
        }
    }

    /// Label names: this run's, then those only the previous run had.
    private(set) var labelTable: [String]
    /// Previous run: keys, sorted and distinct, with their labels.
    private var keys: [String] = []
    private var labels: [LabelBits] = []
    /// The previous run's folder (for its `persons.csv`).
    private let folder: URL

    /// Reads `folder/labels.csv` of a previous run.
    ///
    /// - Complexity: O(n) for n rows when the file is sorted by key, O(n log n) otherwise.
    init(previous folder: URL, labelNames: [String]) throws(ZhaorenError) {
        self.folder = folder
        let file = folder.appendingPathComponent("labels.csv")
        var table = labelNames
        var keys: [String] = []
        var labels: [LabelBits] = []
        var sorted = true
        var tableBytes = table.map { Array($0.utf8) }
        var lastKey: [UInt8] = []
        let reader = try CSVReader(url: file)
        guard reader.header.count >= 2, reader.header[0] == "key", reader.header[1] == "label" else {
            throw ZhaorenError(.malformedInput, "a previous run's labels.csv must start with the header key,label",
                               file: file.path, line: 1)
        }
        func equal(_ field: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8]) -> Bool {
            field.count == bytes.count && field.elementsEqual(bytes)
        }
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let bad = batch.rejects.first {
                throw ZhaorenError(.malformedInput, bad.reasonText, file: file.path, line: bad.line, column: bad.column)
            }
            for row in batch {
                let keyField = row[0], labelField = row[1]
                guard !keyField.isEmpty, !labelField.isEmpty else { continue }
                // Labels are few: find the id by comparing bytes, no String per row.
                var id = -1
                for (i, name) in tableBytes.enumerated() where equal(labelField, name) {
                    id = i
                    break
                }
                if id < 0 {
                    id = table.count
                    guard id < LabelBits.capacity else {
                        throw ZhaorenError(.malformedInput, "more than \(LabelBits.capacity) distinct labels", file: file.path, line: row.line)
                    }
                    table.append(row.string(1))
                    tableBytes.append(Array(labelField))
                }
                if !keys.isEmpty && equal(keyField, lastKey) {
                    labels[labels.count - 1].insert(id)
                } else {
                    let key = row.string(0)
                    if let last = keys.last, key < last { sorted = false }
                    keys.append(key)
                    lastKey = Array(keyField)
                    var bits = LabelBits()
                    bits.insert(id)
                    labels.append(bits)
                }
            }
        }
        if !sorted {
            // Sort by key and merge the rows of a key that appeared in several places.
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            var k: [String] = [], l: [LabelBits] = []
            for i in order {
                if let last = k.last, last == keys[i] { l[l.count - 1] = l[l.count - 1] | labels[i] } else {
                    k.append(keys[i])
                    l.append(labels[i])
                }
            }
            keys = k
            labels = l
        }
        self.labelTable = table
        self.keys = keys
        self.labels = labels
    }

    /// The outcome of ``compare(_:_:writing:includePersisting:)``.
    struct Outcome {
        var changes: CoverageSummary.Changes
        /// Per village: new enrolments (for targets).
        var enrolledByVillage: [CoverageTally.Village: Int]
    }

    /// Compares with this run, writing `key,label,change` rows sorted by key then label
    /// (`persisting` rows only if asked), and counts everything.
    ///
    /// - Complexity: O(n + m) for n persons now and m before.
    func compare(_ result: CoverageResult, _ tally: CoverageTally, writing out: CSVWriter?,
                 includePersisting: Bool) -> Outcome {
        let names = labelTable
        let targetIDs = ["uninsured_should_enrol", "interrupted"].compactMap { names.firstIndex(of: $0) }
        let insuredNow = ["insured_local", "insured_elsewhere", "paying", "receiving_pension"].compactMap { names.firstIndex(of: $0) }
        let deceasedNow = names.firstIndex(of: "deceased")

        var perLabel = [CoverageSummary.ChangeCounts](repeating: .init(new: 0, resolved: 0, persisting: 0), count: names.count)
        var areaNew: [CoverageTally.Village: Int] = [:]
        var areaResolved: [CoverageTally.Village: Int] = [:]
        var areaEnrolled: [CoverageTally.Village: Int] = [:]
        var enrolled = 0

        out?.writeRow(["key", "label", "change"])
        func emit(_ key: String, _ label: Int, _ change: Change) {
            guard let out, change != .persisting || includePersisting else { return }
            out.row.field(key)
            out.row.field(names[label])
            out.row.plain(change.rawValue)
            out.endRow()
        }

        // Persons of the previous run no longer in the base: all their labels are resolved.
        var vanished: [Int] = []
        var j = 0
        for p in tally.order {
            let key = result.persons[p].key
            while j < keys.count && keys[j] < key {
                vanished.append(j)
                j += 1
            }
            if j < keys.count && keys[j] == key { j += 1 }
        }
        vanished += j..<keys.count
        let vanishedAreas = vanished.isEmpty ? [:] : previousAreas(of: Set(vanished.map { keys[$0] }))
        func resolveVanished(_ i: Int) {
            let area = vanishedAreas[keys[i]] ?? CoverageTally.Village(county: "", township: "", village: "")
            for label in labels[i].ids {
                perLabel[label].resolved += 1
                areaResolved[area, default: 0] += 1
                emit(keys[i], label, .resolved)
            }
        }

        j = 0
        for p in tally.order {
            let person = result.persons[p]
            while j < keys.count && keys[j] < person.key {
                resolveVanished(j)
                j += 1
            }
            var before = LabelBits()
            if j < keys.count && keys[j] == person.key {
                before = labels[j]
                j += 1
            }
            var now = LabelBits()
            for l in person.labels where l >= 0 && l < names.count { now.insert(l) }
            let village = tally.villages[Int(tally.personVillage[p])]
            for label in (before | now).ids {
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
        while j < keys.count {
            resolveVanished(j)
            j += 1
        }

        var total = CoverageSummary.ChangeCounts(new: 0, resolved: 0, persisting: 0)
        var byLabel: [String: CoverageSummary.ChangeCounts] = [:]
        for (i, c) in perLabel.enumerated() {
            byLabel[names[i]] = c
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
            changes: .init(total: total, labels: byLabel, enrolled: enrolled,
                           counties: counties, townships: townships, villages: villages),
            enrolledByVillage: areaEnrolled)
    }

    /// Areas of the given keys from the previous run's `persons.csv` (columns `key`,
    /// `county`, `township`, `village`); empty if that file is missing or unreadable.
    private func previousAreas(of wanted: Set<String>) -> [String: CoverageTally.Village] {
        let file = folder.appendingPathComponent("persons.csv")
        guard let reader = try? CSVReader(url: file) else { return [:] }
        let h = reader.header
        guard let k = h.firstIndex(of: "key"), let c = h.firstIndex(of: "county"),
              let t = h.firstIndex(of: "township"), let v = h.firstIndex(of: "village") else { return [:] }
        var out: [String: CoverageTally.Village] = [:]
        try? reader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch {
                let key = row.string(k)
                guard wanted.contains(key) else { continue }
                out[key] = .init(county: row.string(c), township: row.string(t), village: row.string(v))
            }
        }
        return out
    }
}
