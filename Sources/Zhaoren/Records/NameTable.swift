import ZhaorenSupport

/// The distinct person names of a ``RecordTable``, each normalized once and stored flat:
/// records hold a `UInt32` name id, and every comparison of names reads these columns.
///
/// Id equality means the raw strings were identical ("exact"); ``foldedID`` equality means
/// equal after folding.
///
/// ```swift
/// var names = NameTable()
/// let a = names.intern("張偉", normalizer: myNormalizer)
/// names.scalars(of: a)   // the folded scalars, e.g. 张伟
/// ```
package struct NameTable: Sendable {
    /// The raw string of each distinct name, by name id.
    public internal(set) var raw: [String] = []
    /// The interned folded form of each name.
    public internal(set) var foldedID: [UInt32] = []
    /// Whether the name is in Latin script.
    public internal(set) var isLatin: [Bool] = []
    /// Hash of the surname scalars (0 when unknown).
    public internal(set) var surname: [UInt64] = []
    /// Offsets (count + 1) into ``scalarPool``: the folded scalars of name `i`.
    public internal(set) var scalarStart: [UInt32] = [0]
    public internal(set) var scalarPool: [UInt32] = []
    /// Offsets into ``sortedPool``: folded Latin tokens in sorted order (order-insensitive
    /// comparison); the same as the folded scalars for Han names.
    public internal(set) var sortedStart: [UInt32] = [0]
    public internal(set) var sortedPool: [UInt32] = []
    /// Offsets into ``readingPool``: sorted distinct hashes of the pinyin readings.
    public internal(set) var readingStart: [UInt32] = [0]
    public internal(set) var readingPool: [UInt64] = []
    /// Offsets into ``fuzzyPool``: sorted distinct hashes of the fuzzy-pinyin readings.
    public internal(set) var fuzzyStart: [UInt32] = [0]
    public internal(set) var fuzzyPool: [UInt64] = []
    /// Number of distinct folded forms.
    public internal(set) var foldedCount = 0
    /// The folded text of each folded id.
    public internal(set) var foldedText: [String] = []
    /// The ``StableHash`` of each folded id's text: the same in every table and process, so
    /// blocking keys made from it agree across tables (a sharded run keys each part apart).
    public internal(set) var foldedHash: [UInt64] = []

    private var byRaw: [String: UInt32] = [:]
    private var folds = ByteInterner()

    /// Creates an empty table.
    public init() {}

    /// The number of distinct raw names.
    public var count: Int { raw.count }

    /// The id of `text`, normalizing it with `normalizer` the first time it is seen.
    /// - Complexity: amortized O(1) for a name seen before.
    public mutating func intern(_ text: String, normalizer: (String) -> NormalizedName) -> UInt32 {
        if let id = byRaw[text] { return id }
        return add(text, normalizer(text))
    }

    /// Adds a distinct raw name with its normalized form, returning its id.
    public mutating func add(_ text: String, _ n: NormalizedName) -> UInt32 {
        if let id = byRaw[text] { return id }
        let id = UInt32(raw.count)
        byRaw[text] = id
        raw.append(text)
        internFolded(n.folded)
        appendColumns(n)
        return id
    }

    private mutating func internFolded(_ folded: String) {
        var f = folded
        let (id, inserted) = f.withUTF8 { folds.intern($0) }
        if inserted {
            foldedCount += 1
            foldedText.append(folded)
            foldedHash.append(StableHash.of(folded))
        }
        foldedID.append(UInt32(id))
    }

    private mutating func appendColumns(_ n: NormalizedName) {
        var piece = Columns()
        piece.add(n)
        append(piece)
    }

    /// The per-name columns of a run of names, built apart (in parallel) and appended in order.
    struct Columns: Sendable {
        var isLatin: [Bool] = []
        var surname: [UInt64] = []
        var scalarEnd: [UInt32] = [], scalars: [UInt32] = []
        var sortedEnd: [UInt32] = [], sorted: [UInt32] = []
        var readingEnd: [UInt32] = [], readings: [UInt64] = []
        var fuzzyEnd: [UInt32] = [], fuzzy: [UInt64] = []

        mutating func add(_ n: NormalizedName) {
            isLatin.append(n.isLatin)
            let s = n.folded.unicodeScalars.map(\.value)
            scalars.append(contentsOf: s)
            scalarEnd.append(UInt32(scalars.count))
            if n.isLatin {
                let tokens = n.folded.split(separator: " ").sorted().joined(separator: " ")
                sorted.append(contentsOf: tokens.unicodeScalars.map(\.value))
            } else {
                sorted.append(contentsOf: s)
            }
            sortedEnd.append(UInt32(sorted.count))
            surname.append(n.surname.isEmpty ? 0 : StableHash.of(n.surname))
            Self.appendSortedDistinct(n.readingKeys, to: &readings)
            readingEnd.append(UInt32(readings.count))
            Self.appendSortedDistinct(n.fuzzyKeys, to: &fuzzy)
            fuzzyEnd.append(UInt32(fuzzy.count))
        }

        private static func appendSortedDistinct(_ keys: [UInt64], to pool: inout [UInt64]) {
            let start = pool.count
            pool.append(contentsOf: keys)
            pool[start...].sort()
            var w = start
            for k in start..<pool.count where w == start || pool[w - 1] != pool[k] { pool[w] = pool[k]; w += 1 }
            pool.removeLast(pool.count - w)
        }
    }

    private mutating func append(_ c: Columns) {
        isLatin.append(contentsOf: c.isLatin)
        surname.append(contentsOf: c.surname)
        func extend<T>(_ starts: inout [UInt32], _ pool: inout [T], _ ends: [UInt32], _ values: [T]) {
            let base = UInt32(pool.count)
            starts.append(contentsOf: ends.lazy.map { $0 + base })
            pool.append(contentsOf: values)
        }
        extend(&scalarStart, &scalarPool, c.scalarEnd, c.scalars)
        extend(&sortedStart, &sortedPool, c.sortedEnd, c.sorted)
        extend(&readingStart, &readingPool, c.readingEnd, c.readings)
        extend(&fuzzyStart, &fuzzyPool, c.fuzzyEnd, c.fuzzy)
    }

    /// Adds distinct raw names (no two equal, none added before) with their normalized forms,
    /// in order: name `count + k` is `raw[k]`. The bulk path of the pipeline; a table built
    /// this way should not be given the same raw name again through ``intern(_:normalizer:)``.
    /// - Complexity: O(total length); the per-name columns are built in parallel.
    public mutating func addDistinct(_ rawNames: [String], _ normalized: [NormalizedName]) {
        precondition(rawNames.count == normalized.count)
        let pieces = Parallel.mapChunks(count: normalized.count, minimumChunk: 8192) { range -> Columns in
            var c = Columns()
            for k in range { c.add(normalized[k]) }
            return c
        }
        raw.append(contentsOf: rawNames)
        for n in normalized { internFolded(n.folded) }
        for piece in pieces { append(piece) }
    }

    /// The folded scalars of name `id`.
    @inline(__always)
    public func scalars(of id: UInt32) -> ArraySlice<UInt32> {
        scalarPool[Int(scalarStart[Int(id)])..<Int(scalarStart[Int(id) + 1])]
    }

    /// The reading hashes of name `id`.
    @inline(__always)
    public func readings(of id: UInt32) -> ArraySlice<UInt64> {
        readingPool[Int(readingStart[Int(id)])..<Int(readingStart[Int(id) + 1])]
    }

    /// The fuzzy reading hashes of name `id`.
    @inline(__always)
    public func fuzzyReadings(of id: UInt32) -> ArraySlice<UInt64> {
        fuzzyPool[Int(fuzzyStart[Int(id)])..<Int(fuzzyStart[Int(id) + 1])]
    }
}
