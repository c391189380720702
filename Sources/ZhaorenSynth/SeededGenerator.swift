/// A small, fast, seedable random generator (SplitMix64), so that the same seed gives the
/// same synthetic city on every machine and Swift version.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let die = Int.random(in: 1...6, using: &rng)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for a named sub-stream, independent of the order in which streams are used.
    ///
    /// ```swift
    /// var names = SeededGenerator(seed: 7).derived("names")
    /// ```
    public func derived(_ label: String) -> SeededGenerator {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var g = SeededGenerator(seed: state ^ h)
        _ = g.next()
        return g
    }
}
