import Foundation
import Zhaoren
import ZhaorenSupport

extension CoverageOutput {
    /// `labels.csv`: `key,label` per person and label, by key then label order.
    func writeLabels(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["key", "label"])
        let names = result.labelNames
        for p in tally.order {
            let person = result.persons[p]
            for l in person.labels where l >= 0 && l < names.count {
                out.row.field(person.key)
                out.row.field(names[l])
                out.endRow()
            }
        }
        try out.commit()
    }

    /// `enterprise_labels.csv`: `key,label` per enterprise and label, by key then label order.
    func writeEnterpriseLabels(to url: URL) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["key", "label"])
        let names = result.enterpriseLabelNames
        for e in result.enterprises.sorted(by: { $0.key < $1.key }) {
            for l in e.labels.sorted() where l >= 0 && l < names.count { out.writeRow([e.key, names[l]]) }
        }
        try out.commit()
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
        let out = try CSVWriter(url)
        for name in Self.personsHeader { out.row.plain(name) }
        out.endRow()
        let labelBytes = result.labelNames.map { Array($0.utf8) }
        let actions = result.actions
        for p in tally.order {
            let person = result.persons[p]
            let action = person.action.flatMap { $0 >= 0 && $0 < actions.count ? actions[$0] : nil }
            out.row.field(person.key)
            out.row.field(person.name)
            out.row.plain(person.sex?.chinese ?? "")
            if let birth = person.birthDate { out.row.date(birth) } else { out.row.plain("") }
            if let age = person.age { out.row.int(age) } else { out.row.plain("") }
            out.row.field(person.area.county)
            out.row.field(person.area.township)
            out.row.field(person.area.village)
            out.row.field(person.area.grid)
            let labels = person.labels.allSatisfy { $0 >= 0 && $0 < labelBytes.count }
                ? person.labels : person.labels.filter { $0 >= 0 && $0 < labelBytes.count }
            out.row.joined(labels.count, separator: 0x3B) { i, bytes in bytes.append(contentsOf: labelBytes[labels[i]]) }
            out.row.field(action?.name ?? "")
            out.row.field(action?.text ?? "")
            let records = person.records
            out.row.joined(records.count, separator: 0x3B) { i, bytes in
                bytes.append(contentsOf: records[i].source.utf8)
                bytes.append(0x3A)
                CSVRow.appendDigits(records[i].row, to: &bytes)
            }
            out.row.decimal(Double(person.linkConfidence), places: 4)
            out.endRow()
        }
        try out.commit()
    }
}
