/// Stable 64-bit FNV-1a hashing for blocking keys: the same bytes give the same key on every run
/// and machine (unlike Swift's seeded `Hasher`).
///
/// ```swift
/// NameHash.fnv1a(Array("zhangwei".utf8))   // same value everywhere
/// ```
package enum NameHash {
    /// FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// FNV-1a 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a over `bytes`.
    /// - Complexity: O(n) in the number of bytes.
    @inlinable
    public static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// FNV-1a over the UTF-8 bytes of `text`.
    @inlinable
    public static func fnv1a(_ text: String) -> UInt64 { fnv1a(text.utf8) }
}
