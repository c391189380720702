import Foundation
import Zhaoren

extension CoverageOutput {
    /// `labels.csv`: `key,label` per person and label, by key then label order.
    func writeLabels(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        try StagedOutput.write(url) { (out) throws(ZhaorenError) in
            var row = CSVBytes()
            row.plain("key")
            row.plain("label")
            row.endRecord()
            let names = result.labelNames
            for p in tally.order {
                let person = result.persons[p]
                for l in person.labels where l >= 0 && l < names.count {
                    row.field(person.key)
                    row.field(names[l])
                    row.endRecord()
                }
                row.flush(into: out)
            }
            row.flush(into: out, threshold: 0)
        }
    }

    /// `enterprise_labels.csv`: `key,label` per enterprise and label, by key then label order.
    func writeEnterpriseLabels(to url: URL) throws(ZhaorenError) {
        try StagedOutput.write(url) { (out) throws(ZhaorenError) in
            out.append("key,label\n")
            let names = result.enterpriseLabelNames.map(CSVText.field)
            for e in result.enterprises.sorted(by: { $0.key < $1.key }) {
                let key = CSVText.field(e.key)
                for l in e.labels.sorted() where l >= 0 && l < names.count {
                    out.append(key + "," + names[l] + "\n")
                }
            }
        }
    }

    /// The header of `persons.csv`.
    static let personsHeader = [
        "key", "name", "sex", "birth_date", "age", "county", "township", "village", "grid",
        "labels", "action", "action_text", "records", "link_confidence",
    ]

    /// `persons.csv`: one row per person, by key.
    ///
    /// - Complexity: O(n) for n persons; bytes are built in place, without a `String` per line.
    func writePersons(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        try StagedOutput.write(url) { (out) throws(ZhaorenError) in
            var row = CSVBytes()
            for name in Self.personsHeader { row.plain(name) }
            row.endRecord()
            let labelBytes = result.labelNames.map { Array($0.utf8) }
            let actions = result.actions
            for p in tally.order {
                let person = result.persons[p]
                let action = person.action.flatMap { $0 >= 0 && $0 < actions.count ? actions[$0] : nil }
                row.field(person.key)
                row.field(person.name)
                row.plain(person.sex?.chinese ?? "")
                if let birth = person.birthDate { row.date(birth) } else { row.plain("") }
                if let age = person.age { row.int(age) } else { row.plain("") }
                row.field(person.area.county)
                row.field(person.area.township)
                row.field(person.area.village)
                row.field(person.area.grid)
                let labels = person.labels.allSatisfy { $0 >= 0 && $0 < labelBytes.count }
                    ? person.labels : person.labels.filter { $0 >= 0 && $0 < labelBytes.count }
                row.joined(labels.count, separator: 0x3B) { i, bytes in bytes.append(contentsOf: labelBytes[labels[i]]) }
                row.field(action?.name ?? "")
                row.field(action?.text ?? "")
                let records = person.records
                row.joined(records.count, separator: 0x3B) { i, bytes in
                    bytes.append(contentsOf: records[i].source.utf8)
                    bytes.append(0x3A)
                    CSVBytes.appendDigits(records[i].row, to: &bytes)
                }
                row.decimal(Double(person.linkConfidence), places: 4)
                row.endRecord()
                row.flush(into: out)
            }
            row.flush(into: out, threshold: 0)
        }
    }
}
