import Foundation
import Zhaoren

extension CoverageOutput {
    /// `labels.csv`: `key,label` per person and label, by key then label order.
    func writeLabels(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        try StagedOutput.write(url) { (out) throws(ZhaorenError) in
            out.append("key,label\n")
            let names = result.labelNames.map(CSVText.field)
            for p in tally.order {
                let person = result.persons[p]
                let key = CSVText.field(person.key)
                for l in person.labels where l >= 0 && l < names.count {
                    out.append(key + "," + names[l] + "\n")
                }
            }
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
    func writePersons(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        try StagedOutput.write(url) { (out) throws(ZhaorenError) in
            out.append(CSVText.line(Self.personsHeader))
            let labelNames = result.labelNames
            let actions = result.actions
            for p in tally.order {
                let person = result.persons[p]
                let action = person.action.flatMap { $0 >= 0 && $0 < actions.count ? actions[$0] : nil }
                let fields = [
                    person.key, person.name, person.sex?.chinese ?? "", person.birthDate?.description ?? "",
                    person.age.map(String.init) ?? "",
                    person.area.county, person.area.township, person.area.village, person.area.grid,
                    person.labels.compactMap { $0 >= 0 && $0 < labelNames.count ? labelNames[$0] : nil }
                        .joined(separator: ";"),
                    action?.name ?? "", action?.text ?? "",
                    person.records.map(\.description).joined(separator: ";"),
                    Self.decimal(Double(person.linkConfidence), places: 4),
                ]
                out.append(CSVText.line(fields))
            }
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
