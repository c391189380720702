import Foundation
import ZhaorenSupport

/// Distinct free-text values of one role (addresses, other identifiers, areas), interned
/// by their folded form (NFKC, whitespace removed, Latin lowercased) and stored flat: the
/// folded bytes once, a hash of each, and (for identifiers and areas, which are compared by
/// edit distance) the scalars. Addresses are compared by character bigrams, worked out from
/// the folded bytes of the two values a comparison meets: a province's millions of distinct
/// addresses keep neither scalars nor bigrams.
///
/// ```swift
/// var t = TextTable()
/// let a = t.intern("北京市 朝阳区 建国路1号")
/// let b = t.intern("北京市朝阳区建国路1号")   // same id: equal after folding
/// ```
package struct TextTable: Sendable {
    /// The folded text of each id: `text[id]`, read from the one flat copy of the bytes.
    public var text: FoldedTexts { FoldedTexts(folds: folds) }
    /// Offsets (count + 1) into ``scalarPool``; every run is empty in an address table.
    public internal(set) var scalarStart: [UInt32] = [0]
    public internal(set) var scalarPool: [UInt32] = []
    /// A stable hash of each folded value (for blocking keys).
    public internal(set) var hash: [UInt64] = []

    /// Whether values are identifiers: folded to their letters and digits only, so that
    /// `900-12-3456`, `900 12 3456` and `900123456` are one value.
    public let identifiers: Bool
    /// Whether values are addresses: English street words are abbreviated the USPS way
    /// before folding (`Street`→`st`, `Avenue`→`ave`, `North`→`n` …), so `12 Oak Street` and
    /// `12 Oak St` are one value. Other scripts are untouched.
    public let addresses: Bool

    private var byRaw: [String: UInt32] = [:]
    private var folds = ByteInterner()

    /// Creates an empty table; `identifiers` folds away separators (see ``identifiers``),
    /// `addresses` abbreviates English street words (see ``addresses``).
    public init(identifiers: Bool = false, addresses: Bool = false) {
        self.identifiers = identifiers
        self.addresses = addresses
    }

    /// USPS standard abbreviations of common street words (Publication 28), lowercase.
    static let streetWords: [String: String] = [
        "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "lane": "ln", "court": "ct",
        "place": "pl", "boulevard": "blvd", "circle": "cir", "terrace": "ter", "parkway": "pkwy", "highway": "hwy",
        "trail": "trl", "square": "sq", "crescent": "cres", "apartment": "apt", "suite": "ste",
        "north": "n", "south": "s", "east": "e", "west": "w", "mount": "mt", "saint": "st",
    ]

    /// `raw` with English street words abbreviated: runs of ASCII letters are looked up
    /// (lowercased) in ``streetWords``; every other byte, UTF-8 of other scripts included, is
    /// kept, except full stops ("St." is "St").
    static func abbreviatingStreetWords(_ raw: String) -> String {
        guard raw.utf8.contains(where: { $0 == 0x20 || $0 == 0x2C || $0 == 0x2E }) else { return raw }
        var out: [UInt8] = [], word: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        func flush() {
            guard !word.isEmpty else { return }
            if let short = streetWords[String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)] {
                out.append(contentsOf: short.utf8)
            } else {
                out.append(contentsOf: word)
            }
            word.removeAll(keepingCapacity: true)
        }
        for b in raw.utf8 {
            if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { word.append(b) } else { flush(); if b != 0x2E { out.append(b) } }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// The folded form of `raw` in this table: ``fold(_:)``, then only letters and digits for
    /// identifiers, or after abbreviating street words for addresses.
    public func folded(_ raw: String) -> String {
        if addresses { return TextTable.fold(TextTable.abbreviatingStreetWords(raw)) }
        let f = TextTable.fold(raw)
        guard identifiers else { return f }
        if f.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: letters and digits kept, separators dropped, without Unicode property lookups.
            return String(decoding: f.utf8.filter { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) },
                          as: UTF8.self)
        }
        return String(String.UnicodeScalarView(f.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }))
    }

    /// The number of distinct folded values.
    public var count: Int { hash.count }

    /// The folded values of a table by id, as `String`s made on demand.
    public struct FoldedTexts: Sendable {
        let folds: ByteInterner
        /// The folded text of `id`.
        public subscript(id: Int) -> String { folds.string(id) }
        /// The number of values.
        public var count: Int { folds.count }
    }

    /// Whether folding might change scalar `v`: an upper-case Latin letter, a space or tab, or
    /// a scalar NFKC or lower-casing may map (outside the common Han and Latin ranges).
    @inline(__always)
    static func changedByFold(_ v: UInt32) -> Bool {
        (v >= 0x41 && v <= 0x5A) || v == 0x20 || v == 0x09 || v == 0x3000 || (v >= 0x80 && v < 0x3400 && v != 0x00B7)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE00 && v <= 0xFFEF) || v >= 0x2F800
    }

    /// The folded form used for interning: NFKC (skipped when no scalar could change),
    /// whitespace removed, lowercased.
    public static func fold(_ raw: String) -> String {
        if !raw.unicodeScalars.contains(where: { changedByFold($0.value) }) { return raw }
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: NFKC changes nothing; lowercase and drop whitespace byte by byte.
            var out: [UInt8] = []
            out.reserveCapacity(raw.utf8.count)
            for b in raw.utf8 where !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) {
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
            return String(decoding: out, as: UTF8.self)
        }
        let nfkc = raw.precomposedStringWithCompatibilityMappingIfAvailable
        return String(String.UnicodeScalarView(nfkc.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// Folded values with their scalars and hashes, prepared apart (in parallel) and
    /// interned in order. The folded values are kept as UTF-8 bytes, one flat array.
    struct Prepared: Sendable {
        var bytes: [UInt8] = [], byteEnd: [Int] = []
        var scalarEnd: [Int] = [], scalars: [UInt32] = []
        var hash: [UInt64] = []
        /// Whether the scalars are kept (not for addresses).
        var keepScalars = true
        /// Working space for one value's scalars.
        private var current: [UInt32] = []

        init(keepScalars: Bool = true) { self.keepScalars = keepScalars }

        /// The number of values prepared.
        var count: Int { byteEnd.count }

        /// The folded bytes of value `k`.
        func range(_ k: Int) -> Range<Int> { (k == 0 ? 0 : byteEnd[k - 1])..<byteEnd[k] }

        mutating func add(folded f: String) {
            var f = f
            f.withUTF8 { add(foldedBytes: $0) }
        }

        /// Adds a folded value given as valid UTF-8.
        mutating func add(foldedBytes f: UnsafeBufferPointer<UInt8>) {
            bytes.append(contentsOf: f)
            byteEnd.append(bytes.count)
            current.removeAll(keepingCapacity: true)
            TextTable.decodeUTF8(f, into: &current)
            if keepScalars { scalars.append(contentsOf: current) }
            scalarEnd.append(scalars.count)
            hash.append(StableHash.of(scalars: current[...]))
        }
    }

    /// The scalar of valid UTF-8 `bytes` starting at `i`, moving `i` past it (U+FFFD for a
    /// truncated sequence, which the reader never hands out).
    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: inout Int) -> UInt32 {
        let b0 = UInt32(bytes[i]), n = bytes.count
        func tail(_ k: Int) -> UInt32 { UInt32(bytes[i + k]) & 0x3F }
        if b0 < 0x80 { i += 1; return b0 }
        if b0 < 0xE0, i + 1 < n { defer { i += 2 }; return (b0 & 0x1F) << 6 | tail(1) }
        if b0 < 0xF0, i + 2 < n { defer { i += 3 }; return (b0 & 0x0F) << 12 | tail(1) << 6 | tail(2) }
        if i + 3 < n { defer { i += 4 }; return (b0 & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3) }
        i += 1
        return 0xFFFD
    }

    /// Appends the scalars of valid UTF-8 `bytes` (as the reader hands out) to `out`.
    static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) {
        var i = 0
        while i < bytes.count { out.append(scalar(bytes, at: &i)) }
    }

    /// Whether ``fold(_:)`` (and, for an address, abbreviating street words) leaves valid UTF-8
    /// `bytes` as they are: the same test as ``fold(_:)``'s, read from the bytes, so the
    /// common value needs no `String`.
    static func isFolded(_ bytes: UnsafeBufferPointer<UInt8>, address: Bool) -> Bool {
        var i = 0
        while i < bytes.count {
            let v = scalar(bytes, at: &i)
            if changedByFold(v) || (address && (v == 0x2C || v == 0x2E)) { return false }
        }
        return true
    }

    /// The hash of one character (a value of one character has no pair).
    @inline(__always)
    static func unigramHash(_ v: UInt32) -> UInt32 { v &* 0x9E37_79B1 }

    /// The hash of the adjacent characters `a` then `b`.
    @inline(__always)
    static func bigramHash(_ a: UInt32, _ b: UInt32) -> UInt32 { (a &* 0x9E37_79B1) ^ (b &+ 0x7F4A_7C15) }

    /// Replaces the scalars in `s` by the sorted distinct hashes of their adjacent pairs (one
    /// scalar: its own hash; none: none).
    static func bigramsInPlace(_ s: inout [UInt32]) {
        let n = s.count
        if n == 0 { return }
        if n == 1 { s[0] = unigramHash(s[0]); return }
        for k in 0..<(n - 1) { s[k] = bigramHash(s[k], s[k + 1]) }
        s.removeLast()
        sortDistinct(&s)
    }

    /// Calls `body` with each bigram hash of valid UTF-8 `bytes`, in order and with repeats, as
    /// ``bigramsInPlace(_:)`` makes them from the scalars (one character: its own hash; none:
    /// nothing), in one pass over the bytes.
    @inline(__always)
    static func forEachBigram(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) {
        var i = 0
        guard i < bytes.count else { return }
        var previous = scalar(bytes, at: &i)
        guard i < bytes.count else { body(unigramHash(previous)); return }
        while i < bytes.count {
            let v = scalar(bytes, at: &i)
            body(bigramHash(previous, v))
            previous = v
        }
    }

    /// Appends the sorted distinct bigram hashes of valid UTF-8 `bytes` to the empty `out`:
    /// what decoding the scalars and ``bigramsInPlace(_:)`` make.
    @inline(__always)
    static func appendBigrams(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) {
        out.reserveCapacity(bytes.count)
        forEachBigram(bytes) { out.append($0) }
        sortDistinct(&out)
    }

    /// Sorts `s` and removes repeats. The few dozen hashes of an address are sorted by
    /// insertion in place (the general sort's set-up costs more than the sorting at this size).
    static func sortDistinct(_ s: inout [UInt32]) {
        let n = s.count
        guard n > 1 else { return }
        let distinct = s.withUnsafeMutableBufferPointer { p -> Int in
            if n <= 64 {
                for k in 1..<n {
                    let x = p[k]
                    var j = k
                    while j > 0 && p[j - 1] > x { p[j] = p[j - 1]; j -= 1 }
                    p[j] = x
                }
            } else {
                p.sort()
            }
            var w = 1
            for k in 1..<n where p[k] != p[w - 1] { p[w] = p[k]; w += 1 }
            return w
        }
        s.removeLast(n - distinct)
    }

    /// Interns the distinct raw values of `raw` (value `k` of the interner is value `k` here),
    /// straight from their bytes: folding, scalars and hashes are prepared in parallel chunks,
    /// then values are interned in order; a value that folding leaves as it is (most addresses)
    /// makes no `String`. Returns each value's id (``RecordTable/missingID`` for a value that
    /// folds to nothing).
    /// - Complexity: O(total length) work, parallel; one hash lookup per value.
    package mutating func internAll(_ raw: ByteInterner) -> [UInt32] {
        let table = self, keep = !addresses
        let pieces = Parallel.mapChunks(count: raw.count, minimumChunk: 4096) { range -> Prepared in
            var p = Prepared(keepScalars: keep)
            for k in range {
                raw.withBytes(k) { bytes in
                    if !table.identifiers && TextTable.isFolded(bytes, address: table.addresses) {
                        p.add(foldedBytes: bytes)
                    } else {
                        p.add(folded: table.folded(String(decoding: bytes, as: UTF8.self)))
                    }
                }
            }
            return p
        }
        // At most this much is added: reserved once, so the pools grow without copying.
        scalarPool.reserveCapacity(scalarPool.count + pieces.reduce(0) { $0 + $1.scalars.count })
        let values = pieces.reduce(0) { $0 + $1.count }
        scalarStart.reserveCapacity(scalarStart.count + values)
        hash.reserveCapacity(hash.count + values)
        folds.reserveCapacity(values: values, bytes: pieces.reduce(0) { $0 + $1.bytes.count })
        var ids: [UInt32] = []
        ids.reserveCapacity(raw.count)
        for p in pieces { ids.append(contentsOf: intern(p)) }
        return ids
    }

    /// Interns prepared values (by their folded bytes), appending the new ones; their ids.
    private mutating func intern(_ p: Prepared) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(p.count)
        p.bytes.withUnsafeBufferPointer { all in
            for k in 0..<p.count {
                let r = p.range(k)
                if r.isEmpty { ids.append(RecordTable.missingID); continue }
                let (slot, inserted) = folds.intern(UnsafeBufferPointer(rebasing: all[r]))
                if !inserted { ids.append(UInt32(slot)); continue }
                let id = UInt32(hash.count)
                precondition(Int(id) == slot)
                scalarPool.append(contentsOf: p.scalars[(k == 0 ? 0 : p.scalarEnd[k - 1])..<p.scalarEnd[k]])
                scalarStart.append(UInt32(scalarPool.count))
                hash.append(p.hash[k])
                ids.append(id)
            }
        }
        return ids
    }

    /// Adds the already-folded value `folded` if new; returns its id.
    public mutating func internFolded(_ f: String) -> UInt32 {
        var p = Prepared(keepScalars: !addresses)
        p.add(folded: f)
        return intern(p)[0]
    }

    /// The id of `raw`, or `nil` if it folds to nothing.
    /// - Complexity: amortized O(1) for a value seen before.
    public mutating func intern(_ raw: String) -> UInt32? {
        if let id = byRaw[raw] { return id }
        let f = folded(raw)
        guard !f.isEmpty else { return nil }
        let id = internFolded(f)
        byRaw[raw] = id
        return id
    }

    /// The folded scalars of `id`.
    @inline(__always)
    public func scalars(of id: UInt32) -> ArraySlice<UInt32> {
        scalarPool[Int(scalarStart[Int(id)])..<Int(scalarStart[Int(id) + 1])]
    }

    /// The Dice coefficient of two sorted distinct bigram sets (from ``bigrams(of:into:)``), 0…1.
    /// - Complexity: O(|x| + |y|), a merge.
    public static func dice(_ x: [UInt32], _ y: [UInt32]) -> Double {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in dice(x, y) } }
    }

    /// ``dice(_:_:)`` of two sorted distinct bigram lists read in place.
    @inline(__always)
    static func dice(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>) -> Double {
        let total = x.count + y.count
        if total == 0 { return 0 }
        var i = 0, j = 0, common = 0
        while i < x.count && j < y.count {
            let p = x[i], q = y[j]
            if p == q { common &+= 1; i &+= 1; j &+= 1 } else if p < q { i &+= 1 } else { j &+= 1 }
        }
        return 2 * Double(common) / Double(total)
    }

    /// Appends the scalars of folded value `id` to `out`.
    ///
    /// ```swift
    /// var t = TextTable(addresses: true)
    /// var scalars: [UInt32] = []
    /// t.appendScalars(of: t.intern("12 Main Street")!, to: &scalars)   // the scalars of "12mainst"
    /// ```
    public func appendScalars(of id: UInt32, to out: inout [UInt32]) {
        folds.withBytes(Int(id)) { TextTable.decodeUTF8($0, into: &out) }
    }

    /// Calls `body` with the folded UTF-8 bytes of value `id` (valid UTF-8).
    @inline(__always)
    package func withFoldedBytes<R>(of id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        folds.withBytes(Int(id), body)
    }

    /// The sorted distinct bigram hashes of value `id`, made from its folded bytes, into `out`.
    /// - Complexity: O(k log k) for a value of k characters.
    public func bigrams(of id: UInt32, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        folds.withBytes(Int(id)) { TextTable.appendBigrams($0, into: &out) }
    }
}
