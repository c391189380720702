import ZhaorenSystemShim
import ZhaorenSupport

/// Normalized person records in flat columns: one array per field, interned ids for text,
/// day numbers for dates, packed digits for identifiers. Every stage after reading works
/// on these columns by record index (`UInt32`).
///
/// A record costs about 60 bytes here plus its share of the distinct-value tables.
/// Missing values: ``missingID`` (text ids), `0` (packed digits, sex), ``missingDate``.
///
/// ```swift
/// var table = RecordTable()
/// let s = table.addSource("survey")
/// var r = RecordTable.Fields()
/// r.name = "张伟"; r.id = "11010519491231002X"; r.birth = CivilDate(year: 1949, month: 12, day: 31)
/// table.append(source: s, row: 1, r)
/// ```
package struct RecordTable: Sendable {
    /// A missing text id.
    public static let missingID: UInt32 = .max
    /// A missing date.
    public static let missingDate: Int32 = .min

    /// The first value of the month-precision range of the birth column: a date known only to
    /// its month (`出生年月` `1990年1月`) is `monthDateBase + year × 12 + (month − 1)`, far below any
    /// day number, so the comparator and the blocking keys tell the two apart.
    public static let monthDateBase: Int32 = .min + 16

    /// The birth column's value for a parsed date: its day number, a month-precision value for
    /// a year and month, ``missingDate`` for anything else.
    ///
    /// ```swift
    /// RecordTable.birthValue(DateParser.parse("1990年1月"))     // a month-precision value
    /// RecordTable.calendar(RecordTable.birthValue(DateParser.parse("1990年1月")))   // (1990, 1, nil)
    /// ```
    public static func birthValue(_ parsed: ParsedDate) -> Int32 {
        switch parsed {
        case .day(let d): return d.dayNumber
        case .month(let year, let month) where year >= 0 && year < 10_000 && (1...12).contains(month):
            return monthDateBase + Int32(year * 12 + month - 1)
        default: return missingDate
        }
    }

    /// Whether a birth value holds only a year and month.
    @inlinable
    public static func isMonthOnly(_ value: Int32) -> Bool {
        value >= monthDateBase && value < monthDateBase + 120_000
    }

    /// The year, month and (for day precision) day of a birth value; `nil` for ``missingDate``.
    public static func calendar(_ value: Int32) -> (year: Int, month: Int, day: Int?)? {
        if value == missingDate { return nil }
        if isMonthOnly(value) {
            let n = Int(value - monthDateBase)
            return (n / 12, n % 12 + 1, nil)
        }
        let d = CivilDate(dayNumber: value)
        return (d.year, d.month, d.day)
    }

    /// `1990-01-07`, or `1990-01` for a month-precision value, or `""`.
    public static func birthText(_ value: Int32) -> String {
        guard let c = calendar(value) else { return "" }
        let ym = String(format: "%04d-%02d", c.year, c.month)
        return c.day.map { ym + String(format: "-%02d", $0) } ?? ym
    }

    /// Source names (input file names without extension), by source index.
    public internal(set) var sources: [String] = []
    /// The source index of each record.
    public internal(set) var source: [UInt16] = []
    /// The 1-based data row of each record in its source.
    public internal(set) var row: [UInt32] = []
    /// The name id of each record (into ``names``).
    public internal(set) var name: [UInt32] = []
    /// The distinct names.
    public internal(set) var names = NameTable()
    /// The packed resident ID (``PackedDigits/packID(_:)``), 0 when missing.
    public internal(set) var id: [UInt64] = []
    /// The birth date encoded in the ID, as a day number.
    public internal(set) var idBirth: [Int32] = []
    /// The sex encoded in the ID (1 male, 2 female, 0 unknown).
    public internal(set) var idSex: [UInt8] = []
    /// The record's own birth date field.
    public internal(set) var birth: [Int32] = []
    /// The record's own sex field.
    public internal(set) var sex: [UInt8] = []
    /// The packed phone number (``PackedDigits/packPhone(_:)``), 0 when missing.
    public internal(set) var phone: [UInt64] = []
    /// The address id (into ``addresses``).
    public internal(set) var address: [UInt32] = []
    /// Distinct addresses (English street words abbreviated: `Street` and `St` are one).
    public internal(set) var addresses = TextTable(addresses: true)
    /// An address read from several columns keeps its parts: record `i`'s are
    /// `addressPartPool[addressPartStart[i]..<addressPartStart[i + 1]]`, one id of ``addresses``
    /// per column (``missingID`` for a blank one), none for a one-column address. Both arrays are
    /// empty when no record has a multi-column address. The comparator uses them to leave out a
    /// column one record left blank (see ``ComparisonKind/address``).
    public internal(set) var addressPartStart: [UInt32] = []
    /// The address parts of every record, in order; see ``addressPartStart``.
    public internal(set) var addressPartPool: [UInt32] = []
    /// Per record, the sorted distinct bigram hashes of its address: record `i`'s are
    /// `addressBigramPool[addressBigramStart[i]..<addressBigramStart[i + 1]]`. Empty unless made
    /// by ``withAddressBigrams()`` for a small table compared many times per record (the random
    /// sample u is learned from), where the comparator then meets two sorted lists instead of
    /// decoding both addresses for every pair.
    public internal(set) var addressBigramStart: [UInt32] = []
    /// The bigram hashes of every record's address, in order; see ``addressBigramStart``.
    public internal(set) var addressBigramPool: [UInt32] = []
    /// The other-identifier id (into ``otherIDs``).
    public internal(set) var otherID: [UInt32] = []
    /// Distinct other identifiers (folded to letters and digits: separators do not count).
    public internal(set) var otherIDs = TextTable(identifiers: true)
    /// The area id (into ``areas``).
    public internal(set) var area: [UInt32] = []
    /// Distinct areas.
    public internal(set) var areas = TextTable()
    /// For records read from keyed-encoded files: their tokens, in place of the value
    /// columns above (which then hold only sources and rows; every value is missing).
    public internal(set) var encoded: EncodedColumns?

    /// Creates an empty table.
    public init() {}

    /// The number of records.
    public var count: Int { row.count }

    /// The fields of one record before interning, as the pipeline's normalizers produce them.
    public struct Fields: Sendable {
        /// The raw name text.
        public var name: String?
        /// The name's normalized form, if already known (otherwise the table's normalizer runs).
        public var normalizedName: NormalizedName?
        /// The resident ID as 18 characters (already upgraded from 15).
        public var id: String?
        /// The birth date and sex derived from the ID, if it carried a valid date.
        public var idBirth: CivilDate?
        public var idSex: Sex?
        public var birth: CivilDate?
        public var sex: Sex?
        /// Phone digits without prefixes.
        public var phone: String?
        public var address: String?
        /// The address's columns when it was read from several, blank ones as `""` (`address`
        /// is then their non-blank values joined by a space); see ``RecordTable/addressPartStart``.
        public var addressParts: [String]?
        public var otherID: String?
        public var area: String?

        /// Creates empty fields.
        public init() {}
    }

    /// Registers a source name and returns its index.
    public mutating func addSource(_ name: String) -> UInt16 {
        sources.append(name)
        return UInt16(sources.count - 1)
    }

    /// Appends one record, interning its text values (`nameNormalizer` runs once per distinct name).
    /// - Complexity: amortized O(length of new distinct values).
    public mutating func append(source s: UInt16, row r: Int, _ f: Fields,
                                nameNormalizer: (String) -> NormalizedName = NormalizedName.basic) {
        source.append(s)
        row.append(UInt32(r))
        if let n = f.name, !n.isEmpty {
            if let given = f.normalizedName { name.append(names.add(n, given)) } else {
                name.append(names.intern(n, normalizer: nameNormalizer))
            }
        } else {
            name.append(Self.missingID)
        }
        id.append(f.id.flatMap { PackedDigits.packID($0) } ?? 0)
        idBirth.append(f.idBirth?.dayNumber ?? Self.missingDate)
        idSex.append(f.idSex?.rawValue ?? 0)
        birth.append(f.birth?.dayNumber ?? Self.missingDate)
        sex.append(f.sex?.rawValue ?? 0)
        phone.append(f.phone.flatMap { PackedDigits.packPhone($0) } ?? 0)
        address.append(f.address.flatMap { addresses.intern($0) } ?? Self.missingID)
        otherID.append(f.otherID.flatMap { otherIDs.intern($0) } ?? Self.missingID)
        area.append(f.area.flatMap { areas.intern($0) } ?? Self.missingID)
        if !addressPartStart.isEmpty { addressPartStart.append(UInt32(addressPartPool.count)) }
        if let parts = f.addressParts, parts.count > 1 {
            setLastAddressParts(parts.map { $0.isEmpty ? Self.missingID : addresses.intern($0) ?? Self.missingID })
        }
    }

    /// The name id of `raw`, adding it with its normalized form `n` if new: for building a
    /// table with ``appendInterned(source:row:name:id:idBirth:idSex:birth:sex:phone:address:otherID:area:)``.
    ///
    /// ```swift
    /// let names = try NameNormalizer()
    /// let id = table.addName("张伟", NormalizedName(names.normalize("张伟"), pinyin: names.pinyin))
    /// ```
    public mutating func addName(_ raw: String, _ n: NormalizedName) -> UInt32 { names.add(raw, n) }

    /// Appends one record from already-interned values (the fast path used by the pipeline).
    public mutating func appendInterned(source s: UInt16, row r: UInt32, name n: UInt32, id i: UInt64,
                                        idBirth ib: Int32, idSex isx: UInt8, birth b: Int32, sex sx: UInt8,
                                        phone p: UInt64, address a: UInt32, otherID o: UInt32, area ar: UInt32) {
        source.append(s); row.append(r); name.append(n); id.append(i); idBirth.append(ib); idSex.append(isx)
        birth.append(b); sex.append(sx); phone.append(p); address.append(a); otherID.append(o); area.append(ar)
        if !addressPartStart.isEmpty { addressPartStart.append(UInt32(addressPartPool.count)) }
    }

    /// Gives the last record appended the address parts `parts` (ids of ``addresses``, one per
    /// address column, ``missingID`` for a blank column); one part or none is no parts.
    ///
    /// ```swift
    /// table.appendInterned(source: s, row: 7, name: n, id: 0, idBirth: RecordTable.missingDate, idSex: 0,
    ///                      birth: RecordTable.missingDate, sex: 0, phone: 0, address: a, otherID: RecordTable.missingID,
    ///                      area: RecordTable.missingID)
    /// table.setLastAddressParts([street, RecordTable.missingID, suburb])   // line 2 left blank
    /// table.addressParts(table.count - 1).count   // 3
    /// ```
    /// - Complexity: O(`parts.count`); O(records) the first time a record has parts.
    public mutating func setLastAddressParts(_ parts: [UInt32]) {
        guard parts.count > 1, count > 0 else { return }
        if addressPartStart.isEmpty { addressPartStart = [UInt32](repeating: 0, count: count + 1) }
        precondition(addressPartStart.count == count + 1 && Int(addressPartStart[count]) == addressPartPool.count)
        addressPartPool.append(contentsOf: parts)
        addressPartStart[count] = UInt32(addressPartPool.count)
    }

    /// Record `i`'s address parts: a range of ``addressPartPool`` (empty for a one-column address).
    ///
    /// ```swift
    /// let blank = table.addressPartPool[table.addressParts(i)].filter { $0 == RecordTable.missingID }.count
    /// ```
    @inline(__always)
    public func addressParts(_ i: Int) -> Range<Int> {
        addressPartStart.isEmpty ? 0..<0 : Int(addressPartStart[i])..<Int(addressPartStart[i + 1])
    }

    /// Mutable access to the distinct-value tables, for the pipeline's batch interning.
    mutating func withTables<R>(_ body: (inout NameTable, inout TextTable, inout TextTable, inout TextTable) -> R) -> R {
        body(&names, &addresses, &otherIDs, &areas)
    }

    /// Reserves room for `n` more records.
    public mutating func reserve(_ n: Int) {
        let c = count + n
        source.reserveCapacity(c); row.reserveCapacity(c); name.reserveCapacity(c)
        id.reserveCapacity(c); idBirth.reserveCapacity(c); idSex.reserveCapacity(c)
        birth.reserveCapacity(c); sex.reserveCapacity(c); phone.reserveCapacity(c)
        address.reserveCapacity(c); otherID.reserveCapacity(c); area.reserveCapacity(c)
    }

    /// This table with every record's address bigrams made (``addressBigramStart``), in parallel.
    ///
    /// ```swift
    /// let sample = table.gathering(sampled).withAddressBigrams()
    /// ```
    /// - Complexity: O(characters of the records' addresses); memory 4 bytes a bigram.
    package func withAddressBigrams() -> RecordTable {
        var t = self
        guard encoded == nil, !address.isEmpty else { return t }
        let addresses = self.addresses, address = self.address
        let parts = Parallel.mapChunks(count: count, minimumChunk: 4096) { range -> ([UInt32], [UInt32]) in
            var ends: [UInt32] = [], pool: [UInt32] = [], grams: [UInt32] = []
            ends.reserveCapacity(range.count)
            for i in range {
                if address[i] != RecordTable.missingID {
                    addresses.bigrams(of: address[i], into: &grams)
                    pool.append(contentsOf: grams)
                }
                ends.append(UInt32(pool.count))
            }
            return (ends, pool)
        }
        var start: [UInt32] = [0], pool: [UInt32] = []
        start.reserveCapacity(count + 1)
        pool.reserveCapacity(parts.reduce(0) { $0 + $1.1.count })
        for (ends, grams) in parts {
            let base = UInt32(pool.count)
            for end in ends { start.append(base + end) }
            pool.append(contentsOf: grams)
        }
        t.addressBigramStart = start
        t.addressBigramPool = pool
        return t
    }

    /// The Dice coefficient of records `i` and `j`'s address bigrams (``addressBigramStart``
    /// made): ``TextTable/dice(_:_:)`` of the two lists, read in place.
    @inline(__always)
    func addressBigramDice(_ i: Int, _ j: Int) -> Double {
        let x = Int(addressBigramStart[i])..<Int(addressBigramStart[i + 1])
        let y = Int(addressBigramStart[j])..<Int(addressBigramStart[j + 1])
        return addressBigramPool.withUnsafeBufferPointer { p in
            TextTable.dice(UnsafeBufferPointer(rebasing: p[x]), UnsafeBufferPointer(rebasing: p[y]))
        }
    }

    /// The records at `indices` (in that order) in a new table sharing this one's sources and
    /// distinct-value tables.
    /// - Complexity: O(indices.count).
    func gathering(_ indices: [Int]) -> RecordTable {
        var t = self
        t.addressBigramStart = []
        t.addressBigramPool = []
        func gather<T>(_ column: [T]) -> [T] { indices.map { column[$0] } }
        t.source = gather(source); t.row = gather(row); t.name = gather(name)
        t.id = gather(id); t.idBirth = gather(idBirth); t.idSex = gather(idSex)
        t.birth = gather(birth); t.sex = gather(sex); t.phone = gather(phone)
        t.address = gather(address); t.otherID = gather(otherID); t.area = gather(area)
        t.encoded = encoded?.gathering(indices)
        if !addressPartStart.isEmpty {
            t.addressPartStart = [0]
            t.addressPartPool = []
            t.addressPartStart.reserveCapacity(indices.count + 1)
            for i in indices {
                t.addressPartPool.append(contentsOf: addressPartPool[addressParts(i)])
                t.addressPartStart.append(UInt32(t.addressPartPool.count))
            }
        }
        return t
    }

    /// The effective birth date: the record's own field, else the one in its ID.
    @inlinable
    public func effectiveBirth(_ i: Int) -> Int32 {
        birth[i] != Self.missingDate ? birth[i] : idBirth[i]
    }

    /// The effective sex: the record's own field, else the one in its ID.
    @inlinable
    public func effectiveSex(_ i: Int) -> UInt8 {
        sex[i] != 0 ? sex[i] : idSex[i]
    }

    /// `source:row` of record `i`, the form used for cluster ids.
    public func label(_ i: Int) -> String { "\(sources[Int(source[i])]):\(row[i])" }

    /// Record `i` as a ``SourceRow``.
    public func sourceRow(_ i: Int) -> SourceRow { SourceRow(source: sources[Int(source[i])], row: Int(row[i])) }

    /// Approximate bytes held by the columns and distinct-value tables.
    public var approximateBytes: Int {
        count * (2 + 4 + 4 + 8 + 4 + 1 + 4 + 1 + 8 + 4 + 4 + 4)
            + names.scalarPool.count * 8 + names.readingPool.count * 8 + names.fuzzyPool.count * 8 + names.count * 80
            + addresses.scalarPool.count * 8 + addresses.count * 64 + (encoded?.approximateBytes ?? 0)
    }

    /// A table of keyed-encoded records: `rows[k]` of source `sources[k]`-th, with their tokens.
    /// Every value column holds "missing"; the comparator and blocking read `encoded`.
    package init(sources names: [String], source: [UInt16], row: [UInt32], encoded: EncodedColumns) {
        precondition(source.count == encoded.count && row.count == encoded.count)
        sources = names
        self.source = source
        self.row = row
        let n = row.count
        name = [UInt32](repeating: Self.missingID, count: n)
        id = [UInt64](repeating: 0, count: n)
        idBirth = [Int32](repeating: Self.missingDate, count: n)
        idSex = [UInt8](repeating: 0, count: n)
        birth = idBirth
        sex = idSex
        phone = id
        address = name
        otherID = name
        area = name
        self.encoded = encoded
    }
}

extension RecordTable {
    /// Asks for record `i`'s entries of the columns a comparison reads first (ID, name, birth
    /// date, sex, phone, address), so that they are in cache when a loop over pairs in no
    /// predictable order reaches it (see ``LinkPipeline``'s pattern loop). A hint only.
    @inline(__always)
    func prefetch(_ i: Int) {
        @inline(__always) func ask<T>(_ column: [T]) {
            if i < column.count { column.withUnsafeBufferPointer { zhaoren_prefetch($0.baseAddress! + i) } }
        }
        ask(id)
        ask(name)
        ask(birth)
        ask(sex)
        ask(phone)
        ask(address)
    }
}
