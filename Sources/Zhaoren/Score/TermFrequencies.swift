import Foundation

/// Term-frequency adjustment for name agreement (as in Splink): when two records agree on a
/// value v, the chance that a random non-match agrees on v is the value's frequency f(v),
/// not the average u; the weight is adjusted by `log2(u_level / f(v))`, clamped. So 王伟
/// agreeing weighs less than a rare name agreeing.
///
/// ```swift
/// let tf = TermFrequencies(table: table)
/// tf.adjustment(u: 0.001, foldedName: id)   // < 0 for a common name
/// ```
package struct TermFrequencies: Sendable {
    /// Records per folded name id.
    public let counts: [UInt32]
    /// Records with a name.
    public let total: Int
    /// The smallest adjustment (most negative).
    public var minimum: Double = -10
    /// The largest adjustment: small, because a rare name shared inside one household is
    /// still two people.
    public var maximum: Double = 2

    /// For keyed-encoded records: each record's folded-name index (what ``adjustment(u:foldedName:)`` takes).
    public let encodedFoldedName: [UInt32]?

    /// Counts the folded names of `table` (the folded-name tokens of an encoded table).
    public init(table: RecordTable) {
        if let e = table.encoded {
            var c = [UInt32](repeating: 0, count: e.foldedNameCount)
            var t = 0
            for f in e.foldedName where f != RecordTable.missingID {
                c[Int(f)] += 1
                t += 1
            }
            counts = c
            total = max(t, 1)
            encodedFoldedName = e.foldedName
            return
        }
        encodedFoldedName = nil
        var c = [UInt32](repeating: 0, count: table.names.foldedCount)
        var t = 0
        for n in table.name where n != RecordTable.missingID {
            c[Int(table.names.foldedID[Int(n)])] += 1
            t += 1
        }
        counts = c
        total = max(t, 1)
    }

    /// The names of `table` counted over a larger input: `counts` maps a folded name's
    /// ``NameTable/foldedHash`` to its records in the whole input of `total` named records (a
    /// part of a sharded run scores with the whole input's frequencies). A name missing from
    /// `counts` counts once.
    ///
    /// ```swift
    /// let tf = TermFrequencies(table: part, counts: [StableHash.of("张伟"): 2_113], total: 3_000_000)
    /// ```
    public init(table: RecordTable, counts whole: [UInt64: Int], total: Int) {
        encodedFoldedName = nil
        counts = table.names.foldedHash.map { UInt32(clamping: max(whole[$0] ?? 1, 1)) }
        self.total = max(total, 1)
    }

    /// The weight adjustment for agreement on folded name `f` at a level whose average u is `u`.
    ///
    /// The frequency is that of the value among the *other* records (the record's own copy
    /// does not count; at least one other does): a name only the pair holds is as rare as a
    /// name can be, not twice that.
    @inlinable
    public func adjustment(u: Double, foldedName f: UInt32) -> Double {
        let freq = max(Double(counts[Int(f)]) - 1, 1) / Double(total)
        return min(maximum, max(minimum, log2(u / freq)))
    }
}
