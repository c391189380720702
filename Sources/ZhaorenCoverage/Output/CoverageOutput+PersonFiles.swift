import Foundation
import Zhaoren
import ZhaorenSupport

extension CoverageOutput {
    /// `labels.csv`: `key,label` per person and label, by key then label order.
    func writeLabels(to url: URL, _ tally: CoverageTally) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["key", "label"])
        let names = result.labelNames
        // Fields are read through the buffer: copying a whole person per row would retain and
        // release every string and array it holds.
        result.persons.withUnsafeBufferPointer { persons in
            for p in tally.order {
                for l in persons[p].labels where l >= 0 && l < names.count {
                    out.row.field(persons[p].key)
                    out.row.field(names[l])
                    out.endRow()
                }
            }
        }
        try out.commit()
    }

    /// `enterprise_labels.csv`: `key,label,reason` per enterprise and label, by key then label
    /// order; the reason is the evidence an inspector checks (`insured 3 of reported 8`).
    func writeEnterpriseLabels(to url: URL) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["key", "label", "reason"])
        let names = result.enterpriseLabelNames
        for e in result.enterprises.sorted(by: { $0.key < $1.key }) {
            for l in e.labels.sorted() where l >= 0 && l < names.count { out.writeRow([e.key, names[l], Self.reason(names[l], e)]) }
        }
        try out.commit()
    }

    /// Why an enterprise label holds, in the terms of the evidence.
    ///
    /// ```swift
    /// CoverageOutput.reason("ent_partial_insurance", enterprise)   // "insured 3 of reported 8 (2 by code + 1 by name)"
    /// ```
    static func reason(_ label: String, _ e: CoverageEnterprise) -> String {
        var text = "insured \(e.insuredEmployees)"
        if let reported = e.reportedHeadcount { text += " of reported \(reported)" }
        if e.insuredByName > 0 { text += " (\(e.insuredByCode) by code + \(e.insuredByName) by name)" }
        if label == "ent_unregistered" { text = "in the tax list but not in the enterprise registry; " + text }
        return text
    }

    /// `enterprises.csv`: one row per enterprise, by key: where it was seen, the headcount it
    /// reported, its insured employees (distinct persons) and how their accounts named it.
    func writeEnterprises(to url: URL) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["key", "name", "in_registry", "in_tax", "reported_headcount", "insured_employees",
                      "insured_by_code", "insured_by_name", "labels", "records"])
        let names = result.enterpriseLabelNames
        for e in result.enterprises.sorted(by: { $0.key < $1.key }) {
            out.row.field(e.key)
            out.row.field(e.name)
            out.row.plain(e.inRegistry ? "1" : "0")
            out.row.plain(e.inTax ? "1" : "0")
            if let h = e.reportedHeadcount { out.row.int(h) } else { out.row.plain("") }
            out.row.int(e.insuredEmployees)
            out.row.int(e.insuredByCode)
            out.row.int(e.insuredByName)
            out.row.field(e.labels.sorted().compactMap { $0 >= 0 && $0 < names.count ? names[$0] : nil }.joined(separator: ";"))
            out.row.field(e.records.map(\.description).joined(separator: ";"))
            out.endRow()
        }
        try out.commit()
    }

    /// `employers_unmatched.csv`: insurance accounts whose employer was not attributed:
    /// `source,row,employer_code,employer_name,reason`.
    func writeUnmatchedEmployers(to url: URL) throws(ZhaorenError) {
        let out = try CSVWriter(url)
        out.writeRow(["source", "row", "employer_code", "employer_name", "reason"])
        for u in result.unmatchedEmployers.sorted(by: { $0.record < $1.record }) {
            out.row.field(u.record.source)
            out.row.int(u.record.row)
            out.row.field(u.code)
            out.row.field(u.name)
            out.row.field(u.reason)
            out.endRow()
        }
        try out.commit()
    }

    /// The header of `persons.csv`.
    static let personsHeader = [
        "key", "name", "sex", "birth_date", "age", "county", "township", "village", "grid",
        "hukou_county", "hukou_township", "hukou_village", "area_from",
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
        result.persons.withUnsafeBufferPointer { persons in
            for p in tally.order {
                let action = persons[p].action.flatMap { $0 >= 0 && $0 < actions.count ? actions[$0] : nil }
                out.row.field(persons[p].key)
                out.row.field(persons[p].name)
                out.row.plain(persons[p].sex?.chinese ?? "")
                if let birth = persons[p].birthDate { out.row.date(birth) } else { out.row.plain("") }
                if let age = persons[p].age { out.row.int(age) } else { out.row.plain("") }
                out.row.field(persons[p].area.county)
                out.row.field(persons[p].area.township)
                out.row.field(persons[p].area.village)
                out.row.field(persons[p].area.grid)
                out.row.field(persons[p].hukou.county)
                out.row.field(persons[p].hukou.township)
                out.row.field(persons[p].hukou.village)
                out.row.plain(persons[p].areaOrigin.rawValue)
                let labels = persons[p].labels.allSatisfy { $0 >= 0 && $0 < labelBytes.count }
                    ? persons[p].labels : persons[p].labels.filter { $0 >= 0 && $0 < labelBytes.count }
                out.row.joined(labels.count, separator: 0x3B) { i, bytes in bytes.append(contentsOf: labelBytes[labels[i]]) }
                out.row.field(action?.name ?? "")
                out.row.field(action?.text ?? "")
                let records = persons[p].records
                out.row.joined(records.count, separator: 0x3B) { i, bytes in
                    bytes.append(contentsOf: records[i].source.utf8)
                    bytes.append(0x3A)
                    CSVRow.appendDigits(records[i].row, to: &bytes)
                }
                out.row.decimal(Double(persons[p].linkConfidence), places: 4)
                out.endRow()
            }
        }
        try out.commit()
    }
}
