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
public struct NameTable: Sendable {
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
        }
        foldedID.append(UInt32(id))
    }

    private mutating func appendColumns(_ n: NormalizedName) {
        isLatin.append(n.isLatin)
        let s = n.folded.unicodeScalars.map(\.value)
        scalarPool.append(contentsOf: s)
        scalarStart.append(UInt32(scalarPool.count))
        if n.isLatin {
            let tokens = n.folded.split(separator: " ").sorted().joined(separator: " ")
            sortedPool.append(contentsOf: tokens.unicodeScalars.map(\.value))
        } else {
            sortedPool.append(contentsOf: s)
        }
        sortedStart.append(UInt32(sortedPool.count))
        surname.append(n.surname.isEmpty ? 0 : StableHash.of(n.surname))
        readingPool.append(contentsOf: Set(n.readingKeys).sorted())
        readingStart.append(UInt32(readingPool.count))
        fuzzyPool.append(contentsOf: Set(n.fuzzyKeys).sorted())
        fuzzyStart.append(UInt32(fuzzyPool.count))
    }

    /// Adds distinct raw names (no two equal, none added before) with their normalized forms,
    /// in order: name `count + k` is `raw[k]`. The bulk path of the pipeline; a table built
    /// this way should not be given the same raw name again through ``intern(_:normalizer:)``.
    /// - Complexity: O(total length), one dictionary lookup per name for its folded form.
    public mutating func addDistinct(_ rawNames: [String], _ normalized: [NormalizedName]) {
        precondition(rawNames.count == normalized.count)
        raw.reserveCapacity(raw.count + rawNames.count)
        for (text, n) in zip(rawNames, normalized) {
            raw.append(text)
            internFolded(n.folded)
            appendColumns(n)
        }
    }

    /// The folded scalars of name `id`.
    public func scalars(of id: UInt32) -> ArraySlice<UInt32> {
        scalarPool[Int(scalarStart[Int(id)])..<Int(scalarStart[Int(id) + 1])]
    }

    /// The reading hashes of name `id`.
    public func readings(of id: UInt32) -> ArraySlice<UInt64> {
        readingPool[Int(readingStart[Int(id)])..<Int(readingStart[Int(id) + 1])]
    }

    /// The fuzzy reading hashes of name `id`.
    public func fuzzyReadings(of id: UInt32) -> ArraySlice<UInt64> {
        fuzzyPool[Int(fuzzyStart[Int(id)])..<Int(fuzzyStart[Int(id) + 1])]
    }
}
