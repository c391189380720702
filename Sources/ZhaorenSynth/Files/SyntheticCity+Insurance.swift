import Foundation
import Zhaoren
import ZhaorenSupport

extension SyntheticCity {
    /// `insurance.csv` (参保登记): one row per pension account, local and out of region,
    /// sorted by insuring region and account number; a few IDs mistyped.
    func writeInsurance(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("insurance")
        var order: [(key: UInt64, account: UInt32)] = []
        order.reserveCapacity(accounts.count)
        for a in 0..<accounts.count {
            order.append((UInt64(accounts.region[a]) << 32 | UInt64(rng.below(1 << 30)), UInt32(a)))
        }
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.account < $1.account }
        let real = config.shape == .real
        var employerRng = SeededGenerator(seed: config.seed).derived("insurance-employer")
        let sink = try CSVWriter(url, header: CityFile.insurance.columns(in: config.shape), encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        out.entities.reserveCapacity(order.count)
        for (k, entry) in order.enumerated() {
            let a = Int(entry.account)
            let p = Int(accounts.person[a])
            sink.row.beginField()
            sink.row.appendDigits(Int(accounts.region[a]), width: 6)
            sink.row.appendDigits(a + 1, width: 10)
            nameField(p, sink)
            var id = accounts.legacyID[a] ? id15(p) : Array(people.id(p))
            if rng.chance(config.errors.insuranceIDTypo) {
                let i = rng.below(id.count - 1)
                id[i] = UInt8(48 + (Int(id[i]) - 48 + 1 + rng.below(9)) % 10)
                out.errors.append(InjectedError(row: UInt32(k + 1), field: "id", kind: "typo"))
            }
            sink.row.plain(bytes: id)
            sexField(p, sink)
            sink.row.field(Accounts.schemes[Int(accounts.scheme[a])])
            sink.row.int(Int(accounts.region[a]), width: 6)
            sink.row.field(Accounts.statuses[Int(accounts.status[a])])
            let e = Int(accounts.employer[a])
            if real {
                employer(e, row: UInt32(k + 1), &employerRng, sink, &out)
            } else if e >= 0 {
                sink.row.plain(bytes: firms.codes[(e * 18)..<(e * 18 + 18)])
            } else if e <= -2 {
                let k = -2 - e
                sink.row.plain(bytes: firms.otherCodes[(k * 18)..<(k * 18 + 18)])
            } else {
                sink.row.empty()
            }
            monthField(accounts.lastPaid[a], sink)
            monthField(accounts.lastBenefit[a], sink)
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// The real shape's 单位统一社会信用代码 and 单位名称 of employer `e` (see ``Accounts/employer``):
    /// one code in five blank, some mistyped or the legacy 15-character taxpayer number; the
    /// name as registered, as the tax office spells it, without its legal form, or with a
    /// character dropped.
    func employer(_ e: Int, row: UInt32, _ rng: inout SeededGenerator, _ sink: CSVWriter, _ out: inout FileOutput) {
        guard e != -1 else { sink.row.empty(); sink.row.empty(); return }
        let code = e >= 0 ? Array(firms.codes[(e * 18)..<(e * 18 + 18)]) : Array(firms.otherCodes[((-2 - e) * 18)..<((-2 - e) * 18 + 18)])
        let u = rng.unit()
        if u < 0.20 {
            sink.row.empty()
            out.errors.append(InjectedError(row: row, field: "employer", kind: "blank_code"))
        } else if u < 0.23 {
            var typo = code
            let i = 8 + rng.below(9)
            let alphabet = Enterprises.codeAlphabet
            typo[i] = alphabet[(alphabet.firstIndex(of: typo[i]).map { $0 + 1 + rng.below(alphabet.count - 1) } ?? 0) % alphabet.count]
            sink.row.plain(bytes: typo)
            out.errors.append(InjectedError(row: row, field: "employer", kind: "mistyped_code"))
        } else if u < 0.28, e >= 0, firms.legacyTaxID[e] {
            sink.row.plain(bytes: code[2..<17])
        } else {
            sink.row.plain(bytes: code)
        }
        guard e >= 0 else { return sink.row.field(firms.otherNames[-2 - e]) }
        let v = rng.unit()
        let registered = firms.names[e]
        if v < 0.8 {
            sink.row.field(registered)
        } else if v < 0.9 {
            sink.row.field(firms.taxNames[e])
        } else if v < 0.98 {
            sink.row.field(registered.replacingAll("有限责任公司", with: "").replacingAll("有限公司", with: ""))
        } else {
            var scalars = Array(registered.unicodeScalars)
            scalars.remove(at: scalars.count / 2)
            sink.row.field(String(String.UnicodeScalarView(scalars)))
            out.errors.append(InjectedError(row: row, field: "employer", kind: "name_typo"))
        }
    }
}
