/// A small, fast, seedable random generator (SplitMix64), so that the same seed gives the
/// same synthetic city, the same u sample and the same benchmark data on every machine and
/// Swift version. The one generator of the package: the engine's sampling, the synthetic
/// city and the tests all draw from it.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let die = Int.random(in: 1...6, using: &rng)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    @inlinable
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits: the state advanced by the golden-ratio increment, then
    /// ``StableHash/finalize(_:)``.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.finalize(state)
    }

    /// A generator for a named sub-stream, independent of the order in which streams are used.
    ///
    /// ```swift
    /// var names = SeededGenerator(seed: 7).derived("names")
    /// ```
    package func derived(_ label: String) -> SeededGenerator {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var g = SeededGenerator(seed: state ^ h)
        _ = g.next()
        return g
    }
}
