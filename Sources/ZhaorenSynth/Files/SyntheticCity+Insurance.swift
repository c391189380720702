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
        let sink = try CSVWriter(url, header: CityFile.insurance.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
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
            if e >= 0 {
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
}
