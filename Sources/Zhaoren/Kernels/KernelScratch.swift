/// Reusable working memory for the string kernels, so that comparing millions of pairs
/// allocates nothing once the buffers have grown to the longest strings seen.
///
/// Each worker thread owns one; it is not `Sendable` by intent ("copy what you keep").
///
/// ```swift
/// var scratch = KernelScratch()
/// let d = Levenshtein.distance(Array("kitten".unicodeScalars.map(\.value)),
///                              Array("sitting".unicodeScalars.map(\.value)), scratch: &scratch)   // 3
/// ```
package struct KernelScratch {
    /// Integer rows for dynamic-programming kernels.
    @usableFromInline var ints: [Int32] = []
    /// Match flags for Jaro.
    @usableFromInline var flags: [UInt8] = []
    /// Open-addressing table (scalar → bit mask) for the bit-parallel Levenshtein.
    @usableFromInline var peqKeys: [UInt32] = Array(repeating: KernelScratch.emptyKey, count: 128)
    @usableFromInline var peqMasks: [UInt64] = Array(repeating: 0, count: 128)
    /// (scalar, last row) pairs for the unrestricted Damerau-Levenshtein kernel.
    @usableFromInline var lastRow: [UInt32] = []
    /// Two bigram lists for comparing addresses split in columns.
    package var gramsA: [UInt32] = [], gramsB: [UInt32] = []
    /// The bigram sets of whole addresses (the first kept while pairs share their first record).
    package var bigrams = BigramSets()

    @usableFromInline static let emptyKey: UInt32 = .max

    /// Creates empty scratch space; it grows on first use.
    public init() {}

    @inlinable mutating func ensureInts(_ n: Int) {
        if ints.count < n { ints = Array(repeating: 0, count: max(n, ints.count * 2)) }
    }

    @inlinable mutating func ensureFlags(_ n: Int) {
        if flags.count < n { flags = Array(repeating: 0, count: max(n, flags.count * 2)) }
    }
}

/// The Unicode scalars of a string, as kernels take them.
///
/// ```swift
/// scalars("张伟")   // [0x5F20, 0x4F1F]
/// ```
@inlinable
package func scalars(_ text: some StringProtocol) -> [UInt32] {
    text.unicodeScalars.map(\.value)
}
