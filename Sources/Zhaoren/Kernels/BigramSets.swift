/// The Dice coefficient of two texts' character-bigram sets, worked out with two small hash
/// sets instead of two sorted lists: the first text's set is kept for all the pairs it starts
/// (pairs come sorted by their first record), the second text's bigrams are looked up in it as
/// they are decoded. Equal to ``TextTable/dice(_:_:)`` of the two sorted lists, without sorting.
///
/// The sets are open-addressing tables of `(stamp, hash)` slots: a set is emptied by moving to
/// a new stamp, not by clearing its slots.
///
/// ```swift
/// var sets = BigramSets()
/// var a = "北京市朝阳区", b = "北京市海淀区"
/// let d = a.withUTF8 { a in
///     b.withUTF8 { b in
///         sets.reserve(max(a.count, b.count))
///         sets.fill(a, key: 1)
///         return sets.dice(b)
///     }
/// }   // 0.4: 2 of the 5 bigrams on each side (北京, 京市) are shared
/// ```
package struct BigramSets {
    private var slotsA: [UInt64] = [], slotsB: [UInt64] = []
    private var stampA: UInt32 = 0, stampB: UInt32 = 0
    /// Distinct bigrams in the first set.
    private var countA = 0
    /// Slot index = the hash's top bits: `32 - log2(slot count)`.
    private var shift: UInt32 = 32
    /// What the first set holds (a caller's key for its text; `.max`: nothing).
    package private(set) var key: UInt64 = .max

    /// Creates empty sets; they grow on first use.
    package init() {}

    /// Sizes both sets for texts of up to `bytes` bytes (at most half full); growing empties
    /// the first set (``key`` becomes `.max`).
    @inline(__always)
    package mutating func reserve(_ bytes: Int) {
        guard slotsA.count < 2 * bytes || slotsA.isEmpty else { return }
        var size = 256
        while size < 2 * bytes { size <<= 1 }
        slotsA = [UInt64](repeating: 0, count: size)
        slotsB = [UInt64](repeating: 0, count: size)
        stampA = 0
        stampB = 0
        shift = 32 - UInt32(size.trailingZeroBitCount)
        key = .max
    }

    /// The next stamp of a set (its slots zeroed when the stamps wrap around).
    @inline(__always)
    private static func next(_ stamp: inout UInt32, _ slots: inout [UInt64]) {
        stamp &+= 1
        if stamp == 0 {
            for k in slots.indices { slots[k] = 0 }
            stamp = 1
        }
    }

    /// Where `x` is in the set in `slots` under `stamp`, or the free slot where it would go.
    @inline(__always)
    private static func probe(_ x: UInt32, _ slots: UnsafeMutableBufferPointer<UInt64>, stamp: UInt32, shift: UInt32)
        -> (slot: Int, found: Bool) {
        let tagged = UInt64(stamp) << 32 | UInt64(x)
        let mask = slots.count - 1
        var i = Int((x &* 0x9E37_79B1) >> shift)
        while true {
            let s = slots[i]
            if s == tagged { return (i, true) }
            if UInt32(truncatingIfNeeded: s >> 32) != stamp { return (i, false) }   // a slot of an older stamp is free
            i = (i + 1) & mask
        }
    }

    /// Adds `x` to the set in `slots` under `stamp`; whether it was new.
    @inline(__always)
    private static func insert(_ x: UInt32, _ slots: UnsafeMutableBufferPointer<UInt64>, stamp: UInt32, shift: UInt32) -> Bool {
        let (slot, found) = probe(x, slots, stamp: stamp, shift: shift)
        if !found { slots[slot] = UInt64(stamp) << 32 | UInt64(x) }
        return !found
    }

    /// Whether the set in `slots` under `stamp` holds `x`.
    @inline(__always)
    private static func contains(_ x: UInt32, _ slots: UnsafeMutableBufferPointer<UInt64>, stamp: UInt32, shift: UInt32) -> Bool {
        probe(x, slots, stamp: stamp, shift: shift).found
    }

    /// Makes the first set the bigrams of valid UTF-8 `bytes`, remembered as `key`.
    package mutating func fill(_ bytes: UnsafeBufferPointer<UInt8>, key: UInt64) {
        reserve(bytes.count)
        Self.next(&stampA, &slotsA)
        let stamp = stampA, shift = self.shift
        var count = 0
        slotsA.withUnsafeMutableBufferPointer { slots in
            TextTable.forEachBigram(bytes) { x in if Self.insert(x, slots, stamp: stamp, shift: shift) { count += 1 } }
        }
        countA = count
        self.key = key
    }

    /// The Dice coefficient of the first set and the bigrams of valid UTF-8 `bytes`, 0…1 (0
    /// when both are empty).
    /// `bytes` must fit (``fits(_:)``): size the sets first with ``reserve(_:)``.
    package mutating func dice(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        precondition(fits(bytes.count), "BigramSets: reserve room for the longer text before filling")
        Self.next(&stampB, &slotsB)
        let stampA = self.stampA, stampB = self.stampB, shift = self.shift
        var countB = 0, common = 0
        slotsA.withUnsafeMutableBufferPointer { a in
            slotsB.withUnsafeMutableBufferPointer { b in
                TextTable.forEachBigram(bytes) { x in
                    guard Self.insert(x, b, stamp: stampB, shift: shift) else { return }
                    countB += 1
                    if Self.contains(x, a, stamp: stampA, shift: shift) { common += 1 }
                }
            }
        }
        let total = countA + countB
        if total == 0 { return 0 }
        return 2 * Double(common) / Double(total)
    }

    /// Whether a text of `bytes` bytes fits the sets as they are.
    @inline(__always)
    package func fits(_ bytes: Int) -> Bool { !slotsB.isEmpty && slotsB.count >= 2 * bytes }
}

extension TextTable {
    /// The Dice coefficient of the bigram sets of values `a` and `b` (``dice(_:_:)`` of their
    /// ``bigrams(of:into:)``), with `sets` as working space: `a`'s set is made once for all
    /// the values it is compared with in a row.
    ///
    /// ```swift
    /// var t = TextTable(addresses: true)
    /// var sets = BigramSets()
    /// let a = t.intern("北京市朝阳区")!, b = t.intern("北京市海淀区")!
    /// let d = t.bigramDice(a, b, sets: &sets)   // 0.4: 北京 and 京市 shared, of 5 bigrams each
    /// ```
    package func bigramDice(_ a: UInt32, _ b: UInt32, sets: inout BigramSets) -> Double {
        let key = hash[Int(a)]   // the folded value's hash: right whichever table the sets met before
        return withFoldedBytes(of: b) { bytes in
            if !sets.fits(bytes.count) { sets.reserve(bytes.count) }
            if sets.key != key { withFoldedBytes(of: a) { sets.fill($0, key: key) } }
            return sets.dice(bytes)
        }
    }
}
