import ZhaorenSupport

/// English given names and their nicknames (William–Bill, Catherine–Kathy, Robert–Bob …),
/// from the embedded `Data/names-english-nicknames.tsv`: a Latin-name comparison treats a
/// name and its nickname as close tokens.
///
/// ```swift
/// LatinNicknames.shared.related("william", "bill")   // true
/// ```
/// - Complexity: one hash-set lookup per token pair.
package struct LatinNicknames: Sendable {
    /// The process-wide table, parsed on first use.
    public static let shared = LatinNicknames()

    private let pairs: Set<UInt64>

    /// Parses the embedded table.
    init() {
        var set = Set<UInt64>()
        for f in TSV.rows(EmbeddedData.englishNicknames) where f.count == 2 {
            set.insert(Self.key(StableHash.of(scalars: f[0].unicodeScalars.map(\.value)),
                                StableHash.of(scalars: f[1].unicodeScalars.map(\.value))))
        }
        pairs = set
    }

    /// The number of name–nickname pairs.
    public var count: Int { pairs.count }

    @inline(__always)
    static func key(_ a: UInt64, _ b: UInt64) -> UInt64 { StableHash.combine(min(a, b), max(a, b)) }

    /// Whether two lowercase tokens (as scalars) are a name and one of its nicknames.
    @inline(__always)
    public func related(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        pairs.contains(Self.key(StableHash.of(scalars: a), StableHash.of(scalars: b)))
    }

    /// Whether two lowercase tokens are a name and one of its nicknames.
    public func related(_ a: String, _ b: String) -> Bool {
        let x = a.unicodeScalars.map(\.value), y = b.unicodeScalars.map(\.value)
        return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in related(px, py) } }
    }
}
