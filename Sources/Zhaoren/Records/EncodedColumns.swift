/// The tokens of keyed-encoded records in flat columns: per ``EncodedField``, one pool of
/// `UInt64` tokens and the start of each record's run in it (runs sorted, distinct). A
/// ``RecordTable`` read from encoded files carries these instead of values; the comparator,
/// the blocking keys and term frequencies read them.
///
/// ```swift
/// var b = EncodedColumns.Builder()
/// b.append(flags: [], tokens: [.nameFolded: [0x1234]])
/// let columns = b.build(saltedNames: true)
/// columns.first(.nameFolded, 0)   // 0x1234
/// ```
package struct EncodedColumns: Sendable {
    /// Per field, the start of each record's run in ``pools`` (count + 1 entries).
    package private(set) var starts: [[UInt32]]
    /// Per field, the tokens of every record, run after run.
    package private(set) var pools: [[UInt64]]
    /// Per record, its ``EncodedFlags`` bits.
    package private(set) var flags: [UInt8]
    /// Whether the name fields are salted with the birth year (then two records whose years
    /// differ cannot compare names: the name comparison is "missing" for them).
    package let saltedNames: Bool
    /// Per record, its folded name's index among the distinct folded-name tokens, or
    /// ``RecordTable/missingID``: term frequencies count these. A name salted with the birth
    /// year is a name and a year, so its frequency is the chance that a random record agrees
    /// on both, as u is measured (see ``Comparator``'s salted-name rule).
    package private(set) var foldedName: [UInt32]
    /// The number of distinct folded-name tokens.
    package private(set) var foldedNameCount: Int

    /// The number of records.
    package var count: Int { flags.count }

    /// The run of field `f` of record `i` in `pools[f.index]`.
    @inline(__always)
    package func run(_ f: EncodedField, _ i: Int) -> Range<Int> {
        let s = starts[f.index]
        return Int(s[i])..<Int(s[i + 1])
    }

    /// Whether record `i` has any token of `f`.
    @inline(__always)
    package func has(_ f: EncodedField, _ i: Int) -> Bool {
        let s = starts[f.index]
        return s[i + 1] > s[i]
    }

    /// The first (for single-valued fields, the only) token of `f` for record `i`, 0 when none.
    @inline(__always)
    package func first(_ f: EncodedField, _ i: Int) -> UInt64 {
        let s = starts[f.index]
        return s[i + 1] > s[i] ? pools[f.index][Int(s[i])] : 0
    }

    /// Appends record `i`'s tokens of `f` to `out`.
    @inline(__always)
    package func append(_ f: EncodedField, _ i: Int, into out: inout [UInt64]) {
        let r = run(f, i)
        if !r.isEmpty { out.append(contentsOf: pools[f.index][r]) }
    }

    /// The record's flags.
    @inline(__always)
    package func flags(_ i: Int) -> EncodedFlags { EncodedFlags(rawValue: flags[i]) }

    /// How many tokens record `i`'s `f` and record `j`'s `g` share (both runs are sorted and distinct).
    @inline(__always)
    package func common(_ f: EncodedField, _ i: Int, _ g: EncodedField, _ j: Int, stopAt limit: Int = .max) -> Int {
        let a = run(f, i), b = run(g, j)
        if a.isEmpty || b.isEmpty { return 0 }
        return pools[f.index].withUnsafeBufferPointer { pa in
            pools[g.index].withUnsafeBufferPointer { pb -> Int in
                var x = a.lowerBound, y = b.lowerBound, n = 0
                while x < a.upperBound && y < b.upperBound {
                    let p = pa[x], q = pb[y]
                    if p == q {
                        n &+= 1
                        if n >= limit { return n }
                        x &+= 1; y &+= 1
                    } else if p < q { x &+= 1 } else { y &+= 1 }
                }
                return n
            }
        }
    }

    /// Whether record `i`'s `f` and record `j`'s `g` share a token.
    @inline(__always)
    package func intersects(_ f: EncodedField, _ i: Int, _ g: EncodedField, _ j: Int) -> Bool {
        common(f, i, g, j, stopAt: 1) > 0
    }

    /// Whether records `i` and `j` share a token of `f`.
    @inline(__always)
    package func intersects(_ f: EncodedField, _ i: Int, _ j: Int) -> Bool { common(f, i, f, j, stopAt: 1) > 0 }

    /// Whether record `i`'s `f` holds `token`.
    package func contains(_ f: EncodedField, _ i: Int, _ token: UInt64) -> Bool {
        let r = run(f, i)
        return pools[f.index][r].contains(token)
    }

    /// The effective birth token (own field, else the ID's), 0 when neither.
    @inline(__always)
    package func effectiveBirth(_ i: Int) -> UInt64 {
        let b = first(.birth, i)
        return b != 0 ? b : first(.idBirth, i)
    }

    /// The effective sex token (own field, else the ID's), 0 when neither.
    @inline(__always)
    package func effectiveSex(_ i: Int) -> UInt64 {
        let s = first(.sex, i)
        return s != 0 ? s : first(.idSex, i)
    }

    /// Whether the names of records `i` and `j` were salted alike (same birth-year token, or
    /// neither has one), so their name tokens can be compared.
    @inline(__always)
    package func namesComparable(_ i: Int, _ j: Int) -> Bool {
        !saltedNames || first(.birthYear, i) == first(.birthYear, j)
    }

    /// Bytes held.
    package var approximateBytes: Int {
        pools.reduce(0) { $0 + $1.count * 8 } + starts.reduce(0) { $0 + $1.count * 4 } + flags.count * 9
    }

    /// Collects records one by one, or concatenates builders filled in parallel.
    package struct Builder: Sendable {
        var starts: [[UInt32]] = EncodedField.allCases.map { _ in [0] }
        var pools: [[UInt64]] = EncodedField.allCases.map { _ in [] }
        var flags: [UInt8] = []

        /// Creates an empty builder.
        package init() {}

        /// The number of records appended.
        package var count: Int { flags.count }

        /// Appends a token of `f` to the record being built (call ``endRecord(flags:)`` after its last).
        @inline(__always)
        package mutating func add(_ f: EncodedField, _ token: UInt64) {
            pools[f.index].append(token)
        }

        /// Appends a run of tokens of field `k` (its ``EncodedField/index``) to the record being built.
        @inline(__always)
        package mutating func add(run: ArraySlice<UInt64>, to k: Int) {
            if !run.isEmpty { pools[k].append(contentsOf: run) }
        }

        /// Ends the record being built: each field's new run is sorted and made distinct (runs
        /// read from a file written by the encoder already are, which is checked first).
        package mutating func endRecord(flags f: EncodedFlags) {
            for k in pools.indices {
                let s = Int(starts[k][starts[k].count - 1])
                let n = pools[k].count
                if n - s > 1 {
                    var ordered = true
                    for r in (s + 1)..<n where pools[k][r] <= pools[k][r - 1] { ordered = false; break }
                    if !ordered {
                        pools[k][s...].sort()
                        var w = s + 1
                        for r in (s + 1)..<n where pools[k][r] != pools[k][w - 1] {
                            pools[k][w] = pools[k][r]; w += 1
                        }
                        pools[k].removeLast(n - w)
                    }
                }
                starts[k].append(UInt32(pools[k].count))
            }
            flags.append(f.rawValue)
        }

        /// Appends a whole record.
        package mutating func append(flags f: EncodedFlags, tokens: [EncodedField: [UInt64]]) {
            for (field, values) in tokens { pools[field.index].append(contentsOf: values) }
            endRecord(flags: f)
        }

        /// Makes room for `tokens[k]` more tokens of field `k` and `records` more records.
        package mutating func reserve(tokens: [Int], records: Int) {
            for k in pools.indices {
                pools[k].reserveCapacity(pools[k].count + tokens[k])
                starts[k].reserveCapacity(starts[k].count + records)
            }
            flags.reserveCapacity(flags.count + records)
        }

        /// Appends every record of `other`, after this builder's.
        package mutating func append(_ other: Builder) {
            for k in pools.indices {
                let base = UInt32(pools[k].count)
                starts[k].append(contentsOf: other.starts[k].dropFirst().map { $0 + base })
                pools[k].append(contentsOf: other.pools[k])
            }
            flags.append(contentsOf: other.flags)
        }

        /// The columns, with the folded-name indices term frequencies need.
        package func build(saltedNames: Bool) -> EncodedColumns {
            var columns = EncodedColumns(starts: starts, pools: pools, flags: flags, saltedNames: saltedNames,
                                         foldedName: [], foldedNameCount: 0)
            columns.indexFoldedNames()
            return columns
        }
    }

    /// The records at `indices` (in that order), as new columns.
    /// - Complexity: O(tokens of those records).
    package func gathering(_ indices: [Int]) -> EncodedColumns {
        var b = Builder()
        b.flags = indices.map { flags[$0] }
        for k in pools.indices {
            var pool: [UInt64] = [], start: [UInt32] = [0]
            start.reserveCapacity(indices.count + 1)
            for i in indices {
                pool.append(contentsOf: pools[k][Int(starts[k][i])..<Int(starts[k][i + 1])])
                start.append(UInt32(pool.count))
            }
            b.pools[k] = pool
            b.starts[k] = start
        }
        return b.build(saltedNames: saltedNames)
    }

    /// Fills ``foldedName`` and ``foldedNameCount``.
    private mutating func indexFoldedNames() {
        var ids: [UInt64: UInt32] = [:]
        var folded = [UInt32](repeating: RecordTable.missingID, count: count)
        for i in 0..<count {
            let f = first(.nameFolded, i)
            guard f != 0 else { continue }
            if let id = ids[f] { folded[i] = id; continue }
            let id = UInt32(ids.count)
            ids[f] = id
            folded[i] = id
        }
        foldedName = folded
        foldedNameCount = ids.count
    }
}
