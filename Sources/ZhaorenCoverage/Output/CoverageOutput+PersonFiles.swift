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
            let labelNames = result.labelNames
            let actions = result.actions
            for p in tally.order {
                let person = result.persons[p]
                let action = person.action.flatMap { $0 >= 0 && $0 < actions.count ? actions[$0] : nil }
                row.field(person.key)
                row.field(person.name)
                row.plain(person.sex?.chinese ?? "")
                row.plain(person.birthDate?.description ?? "")
                row.plain(person.age.map(String.init) ?? "")
                row.field(person.area.county)
                row.field(person.area.township)
                row.field(person.area.village)
                row.field(person.area.grid)
                var labels = ""
                for l in person.labels where l >= 0 && l < labelNames.count {
                    if !labels.isEmpty { labels += ";" }
                    labels += labelNames[l]
                }
                row.field(labels)
                row.field(action?.name ?? "")
                row.field(action?.text ?? "")
                var records = ""
                for r in person.records {
                    if !records.isEmpty { records += ";" }
                    records += r.source
                    records += ":"
                    records += String(r.row)
                }
                row.field(records)
                row.plain(Self.decimal(Double(person.linkConfidence), places: 4))
                row.endRecord()
                row.flush(into: out)
            }
            row.flush(into: out, threshold: 0)
        }
    }

    /// `x` rounded to `places` decimals, without trailing zeros (`0.5`, `1`, `0.9876`).
    static func decimal(_ x: Double, places: Int) -> String {
        guard x.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(x) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = x < 0 && scaled != 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
