import Foundation

/// Gives each distinct byte string a dense id (0, 1, 2 …), so that values repeated across
/// millions of rows are normalized once: look the field's bytes up, and normalize only when
/// `inserted` is `true`.
///
/// ```swift
/// var interner = ByteInterner()
/// let a = interner.intern(Array("张伟".utf8))    // (id: 0, inserted: true)
/// let b = interner.intern(Array("张伟".utf8))    // (id: 0, inserted: false)
/// interner.string(0)                             // "张伟"
/// ```
///
/// - Complexity: `intern` is O(length) expected; no allocation per call once the tables have
///   grown. The bytes are kept in one flat arena.
package struct ByteInterner: Sendable {
    /// Open-addressing table; its size is a power of two. An entry is `0` when empty, else the
    /// value's hash in the high 32 bits and `id + 1` in the low 32, so a probe that meets
    /// another value is settled from the table alone, without reading that value's hash.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var arena: [UInt8] = []
    /// `arena[starts[id]..<starts[id + 1]]` holds value `id`.
    private var starts: [Int] = [0]

    /// Creates an empty interner sized for about `capacity` distinct values.
    public init(capacity: Int = 1024) {
        slots = [UInt64](repeating: 0, count: Self.tableSize(for: capacity))
    }

    /// The table size for `values` entries: a power of two, at least twice as many.
    private static func tableSize(for values: Int) -> Int {
        var size = 16
        while size < values * 2 { size *= 2 }
        return size
    }

    /// The number of distinct values.
    public var count: Int { hashes.count }

    /// Makes room for `values` more values of `bytes` more bytes in all, so interning them
    /// grows nothing.
    public mutating func reserveCapacity(values: Int, bytes: Int) {
        hashes.reserveCapacity(hashes.count + values)
        starts.reserveCapacity(starts.count + values)
        arena.reserveCapacity(arena.count + bytes)
        let size = Self.tableSize(for: hashes.count + values)
        if size > slots.count { rebuild(size: size) }
    }

    @inline(__always)
    private static func entry(_ hash: UInt64, _ id: Int) -> UInt64 { (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1) }

    /// The id of `bytes`, adding it if new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int, inserted: Bool) {
        let hash = Self.hash(bytes)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = slots[i]
            if e == 0 { break }
            // The entry's tag is the hash's high half, its slot the low bits: a value that
            // matches both is nearly always this one, so the bytes are compared at once (no
            // look at the stored hash: one cache miss fewer per repeated value).
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(e & 0xFFFF_FFFF) - 1
                if equals(id, bytes) { return (id, false) }
            }
            i = (i + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        if hashes.count * 2 > slots.count {
            rebuild(size: slots.count * 2)
            mask = slots.count - 1
            i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
        }
        slots[i] = Self.entry(hash, id)
        return (id, true)
    }

    /// The id of `bytes`, adding it if new.
    public mutating func intern(_ bytes: [UInt8]) -> (id: Int, inserted: Bool) {
        bytes.withUnsafeBufferPointer { intern($0) }
    }

    /// The id of `bytes`, or `nil` if they were never interned.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(bytes)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = slots[i]
            if e == 0 { return nil }
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(e & 0xFFFF_FFFF) - 1
                if hashes[id] == hash && equals(id, bytes) { return id }
            }
            i = (i + 1) & mask
        }
    }

    /// Calls `body` with the bytes of value `id`.
    public func withBytes<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[starts[id]..<starts[id + 1]])) }
    }

    /// Value `id` as a `String`.
    public func string(_ id: Int) -> String {
        withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
            return memcmp(stored.baseAddress! + start, base, bytes.count) == 0
        }
    }

    /// Re-places every value in a table of `size` entries (every entry from the stored hashes).
    private mutating func rebuild(size: Int) {
        var grown = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (id, hash) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: hash) & mask
            while grown[i] != 0 { i = (i + 1) & mask }
            grown[i] = Self.entry(hash, id)
        }
        slots = grown
    }

    /// A fast 64-bit hash of bytes (word-at-a-time multiply–xorshift); not for security.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }
}
