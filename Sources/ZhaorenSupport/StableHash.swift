/// A 64-bit hash that is the same in every process and on every machine (unlike `Hasher`,
/// which is seeded per process), for blocking keys and stable ids.
///
/// ```swift
/// StableHash.of("张伟") == StableHash.of("张伟")   // true, in every run
/// StableHash.combine(StableHash.of("张伟"), 5544)
/// ```
public enum StableHash {
    /// The hash of a string's UTF-8 bytes (FNV-1a, then a SplitMix64 finaliser).
    @inlinable
    package static func of(_ text: String) -> UInt64 {
        var h = offsetBasis
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* prime }
        return finalize(h)
    }

    /// The hash of UTF-8 bytes: equal to ``of(_:)`` of the string they spell.
    @inlinable
    package static func of(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = offsetBasis
        for byte in bytes { h = (h ^ UInt64(byte)) &* prime }
        return finalize(h)
    }

    /// The hash of a sequence of Unicode scalar values.
    @inlinable
    package static func of(scalars: some Sequence<UInt32>) -> UInt64 {
        var h = offsetBasis
        for s in scalars { h = (h ^ UInt64(s)) &* prime }
        return finalize(h)
    }

    /// The FNV-1a offset basis: the running hash of nothing.
    @inlinable package static var offsetBasis: UInt64 { 0xCBF2_9CE4_8422_2325 }
    /// The FNV-1a prime: `h = (h ^ value) &* prime` per value.
    @inlinable package static var prime: UInt64 { 0x100_0000_01B3 }

    /// Mixes a value into a running hash (order matters).
    @inlinable @inline(__always)
    package static func combine(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        finalize(seed ^ (value &+ 0x9E37_79B9_7F4A_7C15 &+ (seed << 6) &+ (seed >> 2)))
    }

    /// The SplitMix64 finaliser: a bijection that spreads every input bit over the output.
    @inlinable @inline(__always)
    package static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
