import Dispatch
import ZhaorenICU
import ZhaorenSupport

/// The columns being filled while reading: one interner and id column per interned slot,
/// the ID and phone columns, and each record's source and row. ``absorb(_:source:selection:feeds:)``
/// fills the slots of a batch in parallel, each task owning one slot.
final class SlotColumns: @unchecked Sendable {
    typealias Slot = RecordLoader.Slot
    var interners = Slot.allCases.map { _ in ByteInterner(capacity: 1 << 16) }
    var ids = Slot.allCases.map { _ in [UInt32]() }
    // IDs and phones are nearly all distinct: parsed row by row from their bytes (values off
    // the fast path go through the full parsers, once per distinct value).
    var idColumns = RecordLoader.IDColumns()
    var phoneColumn = RecordLoader.PhoneColumn()
    var source: [UInt16] = []
    var row: [UInt32] = []
    /// Address parts (interner ids of the address slot), laid out as ``RecordTable/addressPartStart``
    /// and ``RecordTable/addressPartPool``: empty until a source's address has several columns.
    var partStart: [UInt32] = []
    var partPool: [UInt32] = []
    let today: CivilDate

    init(today: CivilDate) { self.today = today }

    /// Appends every row of `batch` (of source `s`); `feeds[slot]` are the selection entries
    /// feeding each slot (none: the slot is missing in this source).
    func absorb(_ batch: RowBatch, source s: UInt16, selection: ColumnSelection, feeds: [[Int]]) {
        source.append(contentsOf: repeatElement(s, count: batch.count))
        row.append(contentsOf: batch.rowNumbers.lazy.map { UInt32($0) })
        let active = Slot.allCases.filter { !feeds[$0.rawValue].isEmpty }
        nonisolated(unsafe) let rows = batch
        let today = self.today
        withUnsafeMutablePointer(to: &idColumns) { idp in
            withUnsafeMutablePointer(to: &phoneColumn) { pp in
                interners.withUnsafeMutableBufferPointer { ib in
                    ids.withUnsafeMutableBufferPointer { idb in
                        nonisolated(unsafe) let internerBase = ib.baseAddress!, idBase = idb.baseAddress!
                        nonisolated(unsafe) let idOut = idp, phoneOut = pp
                        Parallel.run(active.count) { k in
                            let slot = active[k]
                            let feed = feeds[slot.rawValue]
                            let columns = selection.columns[feed[0]]
                            if slot == .address { self.absorbAddressParts(rows, columns, interner: &internerBase[slot.rawValue]) }
                            // The common case, one column feeding the slot, reads its fields
                            // straight from the batch; the slot's kind is settled once per batch.
                            let single = feed.count == 1 && columns.count == 1 ? columns[0] : nil
                            func each(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
                                if let column = single {
                                    for i in 0..<rows.count { body(rows.field(i, column)) }
                                } else {
                                    var value: [UInt8] = []   // a local, not a captured variable: no access checks per row
                                    for i in 0..<rows.count { RecordLoader.withValue(feed, selection, rows, i, scratch: &value, body) }
                                }
                            }
                            switch slot {
                            case .id: each { idOut.pointee.append($0, today: today) }
                            case .phone: each { phoneOut.pointee.append($0) }
                            default:
                                let interner = internerBase + slot.rawValue, out = idBase + slot.rawValue
                                each { field in
                                    out.pointee.append(field.isEmpty ? RecordTable.missingID : UInt32(interner.pointee.intern(field).id))
                                }
                            }
                        }
                    }
                }
            }
        }
        for slot in Slot.allCases where feeds[slot.rawValue].isEmpty {
            switch slot {
            case .id: idColumns.appendMissing(batch.count)
            case .phone: phoneColumn.appendMissing(batch.count)
            default: ids[slot.rawValue].append(contentsOf: repeatElement(RecordTable.missingID, count: batch.count))
            }
            if slot == .address { appendNoParts(batch.count) }
        }
    }

    /// Records the address parts of `rows` when the address is read from several `columns`
    /// (each column's value interned on its own), or empty parts once any earlier source had them.
    private func absorbAddressParts(_ rows: RowBatch, _ columns: [Int], interner: inout ByteInterner) {
        if columns.count > 1 {
            if partStart.isEmpty { partStart = [UInt32](repeating: 0, count: source.count - rows.count + 1) }
            for i in 0..<rows.count {
                for column in columns {
                    let field = rows.field(i, column)
                    partPool.append(field.isEmpty ? RecordTable.missingID : UInt32(interner.intern(field).id))
                }
                partStart.append(UInt32(partPool.count))
            }
        } else {
            appendNoParts(rows.count)
        }
    }

    /// `n` records without address parts (nothing to record until a source has some).
    private func appendNoParts(_ n: Int) {
        if !partStart.isEmpty { partStart.append(contentsOf: repeatElement(UInt32(partPool.count), count: n)) }
    }
}

extension RecordLoader {
    /// The value of a slot fed by `feed` (entry indices) in row `i`: the field's own bytes when
    /// one entry feeds it (no copy), else the entries' non-empty values joined by a space.
    @inline(__always)
    static func withValue(_ feed: [Int], _ selection: ColumnSelection, _ rows: RowBatch, _ i: Int,
                          scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        if feed.count == 1 {
            if selection.columns[feed[0]].count == 1 {
                body(rows.field(i, selection.columns[feed[0]][0]))
            } else {
                selection.appendValue(feed[0], batch: rows, row: i, to: &scratch)   // its columns joined
                scratch.withUnsafeBufferPointer(body)
            }
            return
        }
        var part: [UInt8] = []
        for e in feed {
            part.removeAll(keepingCapacity: true)
            selection.appendValue(e, batch: rows, row: i, to: &part)
            if part.isEmpty { continue }
            if !scratch.isEmpty { scratch.append(0x20) }
            scratch += part
        }
        scratch.withUnsafeBufferPointer(body)
    }

    /// Resident ID columns filled row by row: plain 18-character numbers are packed straight
    /// from their bytes; anything else goes through ``RecordLoader/residentID(_:today:)`` once
    /// per distinct value.
    struct IDColumns {
        var packed: [UInt64] = []
        var birth: [Int32] = []
        var sex: [UInt8] = []
        private var others = ByteInterner()
        private var otherResults: [(UInt64, Int32, UInt8)] = []

        mutating func appendMissing(_ count: Int) {
            packed.append(contentsOf: repeatElement(0, count: count))
            birth.append(contentsOf: repeatElement(RecordTable.missingDate, count: count))
            sex.append(contentsOf: repeatElement(0, count: count))
        }

        mutating func append(_ field: UnsafeBufferPointer<UInt8>, today: CivilDate) {
            if field.isEmpty { appendMissing(1); return }
            let r = RecordLoader.plainResidentID(field, today: today) ?? other(field, today: today)
            packed.append(r.0)
            birth.append(r.1)
            sex.append(r.2)
        }

        private mutating func other(_ field: UnsafeBufferPointer<UInt8>, today: CivilDate) -> (UInt64, Int32, UInt8) {
            let (id, inserted) = others.intern(field)
            if inserted { otherResults.append(RecordLoader.residentID(String(decoding: field, as: UTF8.self), today: today)) }
            return otherResults[id]
        }
    }

    /// The phone column filled row by row: plain 11-digit mobile numbers are packed straight
    /// from their bytes; anything else is parsed once per distinct value.
    struct PhoneColumn {
        var packed: [UInt64] = []
        private var others = ByteInterner()
        private var otherResults: [UInt64] = []

        mutating func appendMissing(_ count: Int) { packed.append(contentsOf: repeatElement(0, count: count)) }

        mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
            if field.isEmpty { packed.append(0); return }
            if field.count == 11, field[0] == UInt8(ascii: "1") {
                var v: UInt64 = 1
                var plain = true
                for c in field {
                    let d = c &- 48
                    if d >= 10 { plain = false; break }
                    v = v &* 10 &+ UInt64(d)
                }
                if plain { packed.append(v); return }
            }
            let (id, inserted) = others.intern(field)
            if inserted { otherResults.append(RecordLoader.phone(String(decoding: field, as: UTF8.self))) }
            packed.append(otherResults[id])
        }
    }

    /// The packed phone of a raw value (0 when it has fewer than 5 digits).
    static func phone(_ raw: String) -> UInt64 {
        let p = PhoneNumber.parse(raw)
        let digits = (p.normalized ?? raw).filter { $0.isASCII && $0.isNumber }
        return digits.count >= 5 ? PackedDigits.packPhone(digits) ?? 0 : 0
    }

    /// Packed ID, ID birth day number and ID sex of 18 plain characters (digits, the last
    /// maybe `X`), or `nil` for anything else. Typos are kept: matching needs the characters,
    /// not validity; the birth date and sex come from the characters.
    @inline(__always)
    static func plainResidentID(_ field: UnsafeBufferPointer<UInt8>, today: CivilDate) -> (UInt64, Int32, UInt8)? {
        guard field.count == 18 else { return nil }
        var v: UInt64 = 0
        for k in 0..<18 {
            let c = field[k]
            let d = c &- 48
            if d < 10 {
                v = v &* 11 &+ UInt64(d)
            } else if k == 17 && (c == 88 || c == 120) {
                v = v &* 11 &+ 10
            } else {
                return nil
            }
        }
        @inline(__always) func num(_ a: Int, _ n: Int) -> Int {
            var x = 0
            for k in a..<(a + n) { x = x * 10 + Int(field[k] &- 48) }
            return x
        }
        let date = CivilDate(year: num(6, 4), month: num(10, 2), day: num(12, 2))
        let birth = date.flatMap { $0 <= today ? $0.dayNumber : nil } ?? RecordTable.missingDate
        return (v | PackedDigits.idFlag, birth, (field[16] &- 48) % 2 == 1 ? Sex.male.rawValue : Sex.female.rawValue)
    }
}

/// A ``NameNormalizer`` being built on a background thread (its ICU setup takes about a tenth
/// of a second, which the reading of the files hides).
final class PendingNormalizer: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the background task before `done` is signalled; read after waiting.
    private var result: Result<NameNormalizer, ICUError>?

    init() {
        DispatchQueue.global().async {
            self.result = Result { () throws(ICUError) in try NameNormalizer() }
            self.done.signal()
        }
    }

    /// The normalizer, once built.
    func wait() throws(ICUError) -> NameNormalizer {
        done.wait()
        done.signal()   // later calls return at once
        return try result!.get()
    }
}
