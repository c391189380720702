import Foundation
import Zhaoren

/// The person labels of the coverage workflow (issue 5), as the generator knows them.
///
/// Raw values are the label names written to `truth/labels.csv`.
public enum PersonLabel: String, Sendable, CaseIterable {
    /// Dead (in the death register, or 死亡注销 in the police register).
    case deceased
    /// Alive and aged 60 or more at the reference date.
    case over60 = "over_60"
    /// Alive and aged 16–59.
    case workingAge = "working_age"
    /// In the students list.
    case student
    /// In the 低保 list.
    case dibao
    /// In the 特困 list.
    case tekun
    /// In the disabled persons' list.
    case disabled
    /// Has a local account (city county code) whose status is not 终止参保.
    case insuredLocal = "insured_local"
    /// Has an out-of-region account whose status is not 终止参保.
    case insuredElsewhere = "insured_elsewhere"
    /// Alive with a 正常缴费 account.
    case paying
    /// Alive with a 待遇领取 account.
    case receivingPension = "receiving_pension"
    /// Alive, no 正常缴费 or 待遇领取 account, at least one 中断缴费 account.
    case interrupted
    /// Alive, no active account, not interrupted, a 暂停缴费 account.
    case suspended
    /// Alive, 16–59, not a student, no account other than 终止参保.
    case uninsuredShouldEnrol = "uninsured_should_enrol"
    /// Dead, and a local account still 待遇领取 with benefits after the month of death.
    case deceasedButPaid = "deceased_but_paid"
    /// Alive with two or more accounts 正常缴费 or 待遇领取.
    case duplicateEnrolment = "duplicate_enrolment"
}

/// The enterprise labels of the coverage workflow (issue 5).
public enum EnterpriseLabel: String, Sendable, CaseIterable {
    /// In the tax list with headcount ≥ 1 and no 正常缴费 employee-pension account under its code.
    case noInsurance = "ent_no_insurance"
    /// 1 ≤ insured employees < reported headcount.
    case partialInsurance = "ent_partial_insurance"
    /// In the tax list, not in the registry.
    case unregistered = "ent_unregistered"
}

extension SyntheticCity {
    /// The true labels of person `p`, by the rules of issue 5 applied to the hidden truth.
    func labels(_ p: Int) -> [PersonLabel] {
        var out: [PersonLabel] = []
        let alive = people.isAlive(p)
        let age = people.age(p, at: config.asOf)
        let student = people.has(p, Population.Flag.student)
        var local = false, elsewhere = false, paying = false, receiving = false, interrupted = false, suspended = false
        var active = 0, nonTerminated = 0
        var paidAfterDeath = false
        let deathMonth: Int32 = alive ? 0 : {
            let d = CivilDate(dayNumber: people.death[p])
            return Int32(d.year * 100 + d.month)
        }()
        let cityCodes = (geo.counties[0].code, geo.counties[1].code, geo.counties[2].code, geo.counties[3].code, geo.counties[4].code)
        for a in Int(accountStart[p])..<Int(accountStart[p + 1]) {
            let status = accounts.status[a]
            let r = accounts.region[a]
            let isLocal = r == cityCodes.0 || r == cityCodes.1 || r == cityCodes.2 || r == cityCodes.3 || r == cityCodes.4
            if status != Accounts.Status.terminated {
                nonTerminated += 1
                if isLocal { local = true } else { elsewhere = true }
            }
            switch status {
            case Accounts.Status.paying: paying = true; active += 1
            case Accounts.Status.receiving:
                receiving = true; active += 1
                if !alive && isLocal && accounts.lastBenefit[a] > deathMonth { paidAfterDeath = true }
            case Accounts.Status.interrupted: interrupted = true
            case Accounts.Status.suspended: suspended = true
            default: break
            }
        }
        if !alive { out.append(.deceased) }
        if alive && age >= 60 { out.append(.over60) }
        if alive && age >= 16 && age <= 59 { out.append(.workingAge) }
        if student { out.append(.student) }
        if people.has(p, Population.Flag.dibao) { out.append(.dibao) }
        if people.has(p, Population.Flag.tekun) { out.append(.tekun) }
        if alive && people.disability[p] != 0 { out.append(.disabled) }
        if local { out.append(.insuredLocal) }
        if elsewhere { out.append(.insuredElsewhere) }
        if alive && paying { out.append(.paying) }
        if alive && receiving { out.append(.receivingPension) }
        let isInterrupted = alive && !paying && !receiving && interrupted
        if isInterrupted { out.append(.interrupted) }
        if alive && !paying && !receiving && !isInterrupted && suspended { out.append(.suspended) }
        if alive && age >= 16 && age <= 59 && !student && nonTerminated == 0 { out.append(.uninsuredShouldEnrol) }
        if !alive && paidAfterDeath { out.append(.deceasedButPaid) }
        if alive && active >= 2 { out.append(.duplicateEnrolment) }
        return out
    }

    /// The true labels of enterprise `e`.
    func labels(enterprise e: Int) -> [EnterpriseLabel] {
        var out: [EnterpriseLabel] = []
        guard firms.inTax[e] else { return out }
        let h = firms.headcount[e], insured = firms.insured[e]
        if h >= 1 && insured == 0 { out.append(.noInsurance) }
        if insured >= 1 && insured < h { out.append(.partialInsurance) }
        if !firms.inRegistry[e] { out.append(.unregistered) }
        return out
    }

    /// `truth/labels.csv`: `key,label`, key = the canonical 18-digit ID.
    func writeLabels(_ url: URL) throws(ZhaorenError) -> Int {
        let sink = try CSVWriter(url, header: ["key", "label"], neutralizesFormulas: false)
        for p in 0..<people.count {
            for label in labels(p) {
                sink.row.plain(bytes: people.id(p))
                sink.row.field(label.rawValue)
                sink.endRow()
            }
        }
        try sink.commit()
        return sink.dataRowCount
    }

    /// `truth/persons.csv`: the hidden person behind each entity id.
    func writePersonsTruth(_ url: URL) throws(ZhaorenError) -> Int {
        let sink = try CSVWriter(url, header: ["entity_id", "name", "id", "sex", "birth", "ethnicity", "county", "township", "village",
                                             "grid", "household", "registration", "status", "death_date", "phone"], neutralizesFormulas: false)
        for p in 0..<people.count {
            sink.row.beginField(); sink.row.appendRaw([80]); sink.row.appendDigits(p + 1, width: 7)
            nameField(p, sink)
            sink.row.plain(bytes: people.id(p))
            sink.row.field(people.female[p] ? "F" : "M")
            dateField(people.birth[p], .dash, sink)
            sink.row.field(Population.ethnicities[Int(people.ethnicity[p])])
            sink.row.field(county(p).name)
            sink.row.field(township(p).name)
            sink.row.field(geo.villages[villageIndex(p)].name)
            sink.row.field(geo.gridName(Int(people.householdGrid[Int(people.household[p])])))
            sink.row.int(Int(people.household[p]) + 1)
            sink.row.field(people.has(p, Population.Flag.migrant) ? "migrant" : "resident")
            sink.row.field(!people.isAlive(p) ? "dead" : people.has(p, Population.Flag.movedOut) ? "moved_out" : "alive")
            if people.isAlive(p) { sink.row.empty() } else { dateField(people.death[p], .dash, sink) }
            if people.phone[p] != 0 { sink.row.int(Int(people.phone[p])) } else { sink.row.empty() }
            sink.endRow()
        }
        try sink.commit()
        return sink.dataRowCount
    }

    /// `truth/enterprises.csv` and `truth/enterprise_labels.csv`.
    func writeEnterpriseTruth(_ folder: URL) throws(ZhaorenError) -> Int {
        let sink = try CSVWriter(folder.appendingPathComponent("enterprises.csv"), header: ["entity_id", "credit_code", "name", "tax_name", "county", "in_registry", "in_tax",
                                        "headcount", "insured_employees", "labels"], neutralizesFormulas: false)
        let labelSink = try CSVWriter(folder.appendingPathComponent("enterprise_labels.csv"), header: ["key", "label"], neutralizesFormulas: false)
        for e in 0..<firms.count {
            let code = firms.codes[(e * 18)..<(e * 18 + 18)]
            let labels = labels(enterprise: e)
            sink.row.beginField(); sink.row.appendRaw([69]); sink.row.appendDigits(e + 1, width: 6)
            sink.row.plain(bytes: code)
            sink.row.field(firms.names[e])
            sink.row.field(firms.taxNames[e])
            sink.row.field(geo.counties[Int(firms.county[e])].name)
            sink.row.field(firms.inRegistry[e] ? "1" : "0")
            sink.row.field(firms.inTax[e] ? "1" : "0")
            sink.row.int(Int(firms.headcount[e]))
            sink.row.int(Int(firms.insured[e]))
            sink.row.field(labels.map(\.rawValue).joined(separator: ";"))
            sink.endRow()
            // An enterprise seen only in the tax list under a legacy taxpayer number is known by
            // that number (no source holds its credit code).
            let key = !firms.inRegistry[e] && firms.legacyTaxID[e] ? Array(code)[2..<17] : code
            for label in labels {
                labelSink.row.plain(bytes: key)
                labelSink.row.field(label.rawValue)
                labelSink.endRow()
            }
        }
        try sink.commit()
        try labelSink.commit()
        return sink.dataRowCount
    }
}
