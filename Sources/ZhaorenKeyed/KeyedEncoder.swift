import Crypto
import Foundation
import Zhaoren
import ZhaorenSupport

/// Encodes a department's file for linking without raw values: each row becomes its row
/// number, a few flags, and per ``EncodedField`` the keyed tokens (HMAC-SHA-256 under a
/// ``LinkageKey``, first 64 bits) of the normalized values and typo-tolerant variants the
/// engine compares and blocks on. The file is read and normalized exactly as `dedupe` and
/// `link` read it, so an encoded run sees the same values a plaintext run would.
///
/// Every token is `HMAC(key, kind ‖ salt ‖ value)`: `kind` separates the classes (an ID and a
/// phone with the same digits give unrelated tokens), `salt` is the birth year for the name
/// classes (``Salt/birthYear``), and variants meant to meet another class's value (an ID's
/// corrections and an ID) share its kind.
///
/// ```swift
/// let key = try LinkageKey(contentsOf: URL(fileURLWithPath: "city.key"))
/// let source = try RecordSource(path: "police.csv", columns: "name=姓名,id=身份证号,birth=出生日期")
/// let summary = try KeyedEncoder(key: key).encode(source, to: URL(fileURLWithPath: "police.enc.csv"))
/// print(summary.rowsEncoded, summary.rowsPerSecond)
/// ```
public struct KeyedEncoder: Sendable {
    /// What the name tokens are salted with.
    public enum Salt: String, Sendable, CaseIterable {
        /// The birth year (own, else the ID's): no token stands for every bearer of a common
        /// name, at the cost that names of records whose years differ cannot be compared.
        case birthYear = "birth_year"
        /// No salt: names compare across any birth years; a name's token frequency is its
        /// frequency in the file.
        case none
    }

    /// What an encoding did.
    public struct Summary: Sendable {
        /// Data rows read (not counting the header).
        public var rowsRead: Int
        /// Rows written to the encoded file.
        public var rowsEncoded: Int
        /// Rows the reader set aside (in the rejects file).
        public var rowsRejected: Int
        /// Tokens written.
        public var tokens: Int
        /// Bytes of the encoded file.
        public var bytes: Int
        /// Wall seconds, reading included.
        public var seconds: Double
        /// The key's fingerprint, as in the file's first line.
        public var keyFingerprint: String
        /// Rows encoded per second.
        public var rowsPerSecond: Double { seconds > 0 ? Double(rowsEncoded) / seconds : 0 }
    }

    /// The key.
    public var key: LinkageKey
    /// The name salt.
    public var salt: Salt
    /// The name normalizer (opened on first use when `nil`).
    public var names: NameNormalizer?
    /// Called with reading events.
    public var progress: (@Sendable (LinkEvent) -> Void)?

    /// Creates an encoder.
    public init(key: LinkageKey, salt: Salt = .birthYear, names: NameNormalizer? = nil,
                progress: (@Sendable (LinkEvent) -> Void)? = nil) {
        self.key = key
        self.salt = salt
        self.names = names
        self.progress = progress
    }

    /// Encodes `source` into `url` (atomically); the rows the reader rejects go to `rejects`
    /// (`source,row,line,column,reason,raw`, which holds raw values: it stays with the department).
    /// - Throws: `ZhaorenError` for an unreadable input, a missing column or an unwritable output.
    public func encode(_ source: RecordSource, to url: URL, rejects: URL? = nil) throws(ZhaorenError) -> Summary {
        var watch = Stopwatch()
        let loaded = try RecordLoader(names: names).load([source], progress: progress)
        let table = loaded.table
        let header = EncodedFile.Header(keyFingerprint: key.fingerprint, saltedNames: salt == .birthYear,
                                        roles: Self.encodedRoles(loaded.roles))
        let staged = try EncodedFileWriter(url, header: header)
        let maker = TokenMaker(key: key)
        let salted = salt == .birthYear
        let chunk = 8_192
        let chunks = (table.count + chunk - 1) / chunk
        var tokens = 0
        Parallel.stream(chunks, wave: 4, { k -> ([UInt8], Int) in
            var out: [UInt8] = []
            var fields = RecordTokens()
            var written = 0
            for i in (k * chunk)..<min(table.count, (k + 1) * chunk) {
                fields.fill(table, i, maker: maker, salted: salted)
                written += fields.format(row: Int(table.row[i]), into: &out)
            }
            return (out, written)
        }) { block, written in
            staged.append(block: block)
            tokens += written
        }
        let bytes = staged.byteCount
        try staged.commit()
        if let rejects {
            let writer = try RejectWriter(rejects)
            writer.write(contentsOf: loaded.rejects)
            try writer.commit()
        }
        let statistics = loaded.statistics.first ?? ReadStatistics()
        return Summary(rowsRead: statistics.rowsRead, rowsEncoded: table.count, rowsRejected: loaded.rejects.count,
                       tokens: tokens, bytes: bytes, seconds: watch.lap(), keyFingerprint: header.keyFingerprint)
    }

    /// The roles an encoded file can serve: those whose values the tokens carry (split names count as a name).
    static func encodedRoles(_ roles: Set<FieldRole>) -> Set<FieldRole> {
        var out = roles.intersection([.name, .id, .birth, .sex, .phone, .address, .otherID, .area, .postcode])
        if roles.contains(.surname) || roles.contains(.givenName) { out.insert(.name) }
        return out
    }
}

/// HMAC-SHA-256 under one key, keyed once and copied per token.
struct TokenMaker: Sendable {
    let keyed: HMAC<SHA256>

    init(key: LinkageKey) { keyed = HMAC<SHA256>(key: key.key) }

    /// The token of `value` (less the bytes at `skipping`: a one-deletion variant is its value
    /// with one position left out, with no copy made) in class `kind` with `salt`: the HMAC's
    /// first 8 bytes, big-endian.
    @inline(__always)
    func token(_ kind: UInt8, _ salt: UInt16, _ value: UnsafeRawBufferPointer, skipping: Range<Int> = 0..<0) -> UInt64 {
        var h = keyed
        // One update with the whole message: each call into the generic API costs more than
        // hashing these few bytes.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: value.count + 3) { buffer in
            buffer[0] = kind
            buffer[1] = UInt8(salt >> 8)
            buffer[2] = UInt8(salt & 0xFF)
            var w = 3
            for k in 0..<value.count where !skipping.contains(k) { buffer[w] = value[k]; w += 1 }
            h.update(data: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<w])))
        }
        let mac = h.finalize()
        return mac.withUnsafeBytes { raw in
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(raw[k]) }
            return v == 0 ? 1 : v   // 0 means "missing" in the engine's columns
        }
    }

    @inline(__always)
    func token(_ kind: UInt8, _ salt: UInt16, bytes: [UInt8], skipping: Range<Int> = 0..<0) -> UInt64 {
        bytes.withUnsafeBytes { token(kind, salt, $0, skipping: skipping) }
    }

    @inline(__always)
    func token(_ kind: UInt8, _ salt: UInt16, _ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { token(kind, salt, UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    func token(_ kind: UInt8, _ salt: UInt16, word: UInt64) -> UInt64 {
        withUnsafeBytes(of: word.littleEndian) { token(kind, salt, $0) }
    }
}

/// The tokens of one record, per field, reused from record to record.
struct RecordTokens {
    var fields: [[UInt64]] = EncodedField.allCases.map { _ in [] }
    var flags: EncodedFlags = []
    /// Working space reused from record to record: scalars as 3 bytes each, address bigrams.
    var scalarBytes: [UInt8] = []
    var grams: [UInt32] = []

    /// `scalars` as 3 bytes each (little-endian) into ``scalarBytes``: the HMAC input of a name
    /// or identifier; scalar `p` is bytes `3p..<3p+3`.
    mutating func fillScalarBytes(_ scalars: some Collection<UInt32>) {
        scalarBytes.removeAll(keepingCapacity: true)
        for s in scalars { scalarBytes.append(UInt8(s & 0xFF)); scalarBytes.append(UInt8(s >> 8 & 0xFF)); scalarBytes.append(UInt8(s >> 16 & 0xFF)) }
    }

    /// The token of the scalars in ``scalarBytes`` (less scalar `skipping`, if given).
    func scalarToken(_ m: TokenMaker, _ kind: UInt8, _ salt: UInt16, skipping p: Int? = nil) -> UInt64 {
        m.token(kind, salt, bytes: scalarBytes, skipping: p.map { 3 * $0..<3 * $0 + 3 } ?? 0..<0)
    }

    /// Token kinds (the first byte of every HMAC input).
    enum Kind {
        static let name: UInt8 = 0x01, folded: UInt8 = 0x02, pinyin: UInt8 = 0x03, fuzzy: UInt8 = 0x04
        static let near: UInt8 = 0x05, swapped: UInt8 = 0x06, part: UInt8 = 0x07, surname: UInt8 = 0x08
        static let sortedTokens: UInt8 = 0x09
        static let id: UInt8 = 0x10, idMask: UInt8 = 0x11
        static let date: UInt8 = 0x20, unordered: UInt8 = 0x21, digit: UInt8 = 0x22, month: UInt8 = 0x23
        static let day: UInt8 = 0x24, year: UInt8 = 0x25
        static let sex: UInt8 = 0x30
        static let phone: UInt8 = 0x40
        static let address: UInt8 = 0x50, bigram: UInt8 = 0x51
        static let otherID: UInt8 = 0x60
        static let area: UInt8 = 0x70
    }

    @inline(__always)
    mutating func add(_ f: EncodedField, _ token: UInt64) { fields[f.index].append(token) }

    /// Computes record `i`'s tokens.
    mutating func fill(_ t: RecordTable, _ i: Int, maker m: TokenMaker, salted: Bool) {
        for k in fields.indices { fields[k].removeAll(keepingCapacity: true) }
        flags = []
        let effective = t.effectiveBirth(i)
        let calendar = RecordTable.calendar(effective)
        let salt: UInt16 = salted ? UInt16(calendar?.year ?? 0) : 0
        // Names.
        let n = t.name[i]
        if n != RecordTable.missingID {
            let names = t.names, id = Int(n)
            add(.name, m.token(Kind.name, salt, names.raw[id]))
            add(.nameFolded, m.token(Kind.folded, salt, names.foldedText[Int(names.foldedID[id])]))
            for r in names.readings(of: n) { add(.namePinyin, m.token(Kind.pinyin, salt, word: r)) }
            for r in names.fuzzyReadings(of: n) { add(.nameFuzzy, m.token(Kind.fuzzy, salt, word: r)) }
            if names.surname[id] != 0 { add(.surname, m.token(Kind.surname, salt, word: names.surname[id])) }
            let scalars = names.scalars(of: n)
            if names.isLatin[id] {
                flags.insert(.latinName)
                fillScalarBytes(names.sortedPool[Int(names.sortedStart[id])..<Int(names.sortedStart[id + 1])])
                add(.nameNear, scalarToken(m, Kind.sortedTokens, salt))
                for token in scalars.split(separator: 0x20) where !token.isEmpty {
                    fillScalarBytes(token)
                    add(.namePart, scalarToken(m, Kind.part, salt))
                }
            } else {
                fillScalarBytes(scalars)
                add(.nameNear, scalarToken(m, Kind.near, salt))
                if scalars.count >= 3 {
                    for p in 0..<scalars.count { add(.nameNear, scalarToken(m, Kind.near, salt, skipping: p)) }
                } else if scalars.count == 2 {
                    let a = scalars[scalars.startIndex], b = scalars[scalars.startIndex + 1]
                    fillScalarBytes([min(a, b), max(a, b)])
                    add(.nameNear, scalarToken(m, Kind.swapped, salt))
                }
            }
        }
        // The resident ID.
        let packed = t.id[i]
        if packed != 0 {
            let digits = Array(PackedDigits.unpackID(packed).utf8)
            add(.id, m.token(Kind.id, 0, bytes: digits))
            for p in 0..<digits.count { add(.idMask, m.token(Kind.idMask, UInt16(p), bytes: digits, skipping: p..<p + 1)) }
            if PackedDigits.idPassesCheck(packed) {
                flags.insert(.idPassesCheck)
            } else {
                for c in PackedDigits.idCorrections(packed) {
                    add(.idFix, m.token(Kind.id, 0, bytes: Array(PackedDigits.unpackID(c).utf8)))
                }
            }
        }
        // Birth dates: the field, the ID's, and the variants of the effective one.
        if t.birth[i] != RecordTable.missingDate {
            add(.birth, m.token(Kind.date, 0, bytes: Self.dateText(t.birth[i])))
            if RecordTable.isMonthOnly(t.birth[i]) { flags.insert(.birthFieldMonthOnly) }
        }
        if t.idBirth[i] != RecordTable.missingDate {
            add(.idBirth, m.token(Kind.date, 0, bytes: Self.dateText(t.idBirth[i])))
            let c = RecordTable.calendar(t.idBirth[i])!
            add(.idBirthMonth, m.token(Kind.date, 0, bytes: Self.digits(c.year, 4) + [UInt8(ascii: "-")] + Self.digits(c.month, 2)))
        }
        if let c = calendar {
            add(.birthMonth, m.token(Kind.month, 0, bytes: Self.digits(c.year, 4) + Self.digits(c.month, 2)))
            add(.birthYear, m.token(Kind.year, 0, bytes: Self.digits(c.year, 4)))
            for d in [-2, -1, 1, 2] { add(.birthNearYears, m.token(Kind.year, 0, bytes: Self.digits(c.year + d, 4))) }
            if let day = c.day {
                add(.birthDay, m.token(Kind.day, 0, bytes: Self.digits(c.month, 2) + Self.digits(day, 2)))
                add(.birthSwapped, m.token(Kind.unordered, 0, bytes: Self.digits(c.year, 4) + Self.digits(min(c.month, day), 2) + Self.digits(max(c.month, day), 2)))
                let ymd = Self.digits(c.year, 4) + Self.digits(c.month, 2) + Self.digits(day, 2)
                for p in 0..<ymd.count { add(.birthDigit, m.token(Kind.digit, UInt16(p), bytes: ymd, skipping: p..<p + 1)) }
            } else {
                flags.insert(.birthMonthOnly)
            }
        }
        if t.id[i] != 0 && Self.birthIsOwn(t, i) { flags.insert(.birthFromID) }
        // Sex.
        if t.sex[i] != 0 { add(.sex, m.token(Kind.sex, 0, bytes: [t.sex[i]])) }
        if t.idSex[i] != 0 { add(.idSex, m.token(Kind.sex, 0, bytes: [t.idSex[i]])) }
        // Phone and its one-deletion variants (the number itself is of the same kind, so an
        // inserted digit meets the shorter number).
        if t.phone[i] != 0 {
            let digits = Array(PackedDigits.unpackPhone(t.phone[i]).utf8)
            add(.phone, m.token(Kind.phone, 0, bytes: digits))
            for p in 0..<digits.count { add(.phoneDeletions, m.token(Kind.phone, 0, bytes: digits, skipping: p..<p + 1)) }
        }
        // Address: the folded text and its bigrams.
        let a = t.address[i]
        if a != RecordTable.missingID {
            add(.address, m.token(Kind.address, 0, t.addresses.text[Int(a)]))
            t.addresses.bigrams(of: a, into: &grams)
            for g in grams { add(.addressBigrams, m.token(Kind.bigram, 0, word: UInt64(g))) }
        }
        // Other identifier and its one-deletion variants.
        let o = t.otherID[i]
        if o != RecordTable.missingID {
            let scalars = t.otherIDs.scalars(of: o)
            fillScalarBytes(scalars)
            add(.otherID, scalarToken(m, Kind.otherID, 0))
            if scalars.count >= 2 {
                for p in 0..<scalars.count { add(.otherIDDeletions, scalarToken(m, Kind.otherID, 0, skipping: p)) }
            }
        }
        let ar = t.area[i]
        if ar != RecordTable.missingID { add(.area, m.token(Kind.area, 0, t.areas.text[Int(ar)])) }
    }

    /// A birth value as `YYYY-MM-DD`, or `YYYY-MM` when known to the month (as ``RecordTable/birthText(_:)``).
    static func dateText(_ value: Int32) -> [UInt8] {
        guard let c = RecordTable.calendar(value) else { return [] }
        let ym = digits(c.year, 4) + [UInt8(ascii: "-")] + digits(c.month, 2)
        return c.day.map { ym + [UInt8(ascii: "-")] + digits($0, 2) } ?? ym
    }

    /// `value` as `width` decimal digits (zero-padded; a year of 0–9999).
    @inline(__always)
    static func digits(_ value: Int, _ width: Int) -> [UInt8] {
        var out = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var v = max(0, value)
        for k in stride(from: width - 1, through: 0, by: -1) {
            out[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        return out
    }

    /// Whether record `i`'s birth date is its own ID's (the field is empty, equal, or the
    /// ID's year and month when known only to the month).
    static func birthIsOwn(_ t: RecordTable, _ i: Int) -> Bool {
        let b = t.birth[i]
        if b == t.idBirth[i] || b == RecordTable.missingDate { return true }
        guard RecordTable.isMonthOnly(b), let x = RecordTable.calendar(b), let y = RecordTable.calendar(t.idBirth[i]) else { return false }
        return x.year == y.year && x.month == y.month
    }

    /// Appends the record's line (`row,flags,` then the fields' sorted distinct tokens) to `out`;
    /// returns the tokens written.
    mutating func format(row: Int, into out: inout [UInt8]) -> Int {
        out.append(contentsOf: String(row).utf8)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: String(flags.rawValue).utf8)
        var written = 0
        for k in fields.indices {
            out.append(UInt8(ascii: ","))
            if fields[k].count > 1 {
                fields[k].sort()
                var w = 1
                for r in 1..<fields[k].count where fields[k][r] != fields[k][w - 1] { fields[k][w] = fields[k][r]; w += 1 }
                fields[k].removeLast(fields[k].count - w)
            }
            for v in fields[k] { EncodedFile.appendToken(v, to: &out) }
            written += fields[k].count
        }
        out.append(0x0A)
        return written
    }
}
