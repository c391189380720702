/// Computes comparison levels for pairs of records of a ``RecordTable`` and packs them into a
/// pattern: 4 bits per comparison, comparison `c` at bits `4c..<4c+4` (so at most 16).
///
/// ```swift
/// let comparator = try Comparator(specs: ComparisonSpec.defaults(for: [.name, .id, .birth]), table: table)
/// var scratch = KernelScratch()
/// let pattern = comparator.pattern(0, 1, scratch: &scratch)
/// Comparator.level(pattern, 0)   // the name level of records 0 and 1
/// ```
package struct Comparator: Sendable {
    /// The comparisons, in pattern order.
    public let specs: [ComparisonSpec]
    /// The records compared.
    public let table: RecordTable
    private let kinds: [ComparisonKind]
    private let roles: [FieldRole]
    private let thresholds: [[Double]]
    /// The tokens, when the records are keyed-encoded.
    private let encoded: EncodedColumns?
    /// Encoded records: whether names salted with different birth years are "else" (level 1)
    /// rather than "missing" (for estimating u on random pairs).
    private let saltMismatchDisagrees: Bool

    /// Creates a comparator; fails if there are more than 16 comparisons.
    public init(specs: [ComparisonSpec], table: RecordTable) throws(ZhaorenError) {
        guard specs.count <= 16 else { throw ZhaorenError(.settings, "at most 16 comparisons are supported") }
        for s in specs where s.kind == .latinName || s.kind == .address {
            guard s.thresholds.count == s.kind.defaultThresholds.count else {
                throw ZhaorenError(.settings, "comparison \(s.name): \(s.kind.rawValue) takes \(s.kind.defaultThresholds.count) thresholds")
            }
        }
        self.specs = specs
        self.table = table
        kinds = specs.map(\.kind)
        roles = specs.map(\.role)
        thresholds = specs.map(\.thresholds)
        encoded = table.encoded
        saltMismatchDisagrees = false
    }

    /// The same comparisons over another table (records gathered from this one's table).
    init(_ other: Comparator, table: RecordTable, saltMismatchDisagrees: Bool = false) {
        specs = other.specs
        self.table = table
        kinds = other.kinds
        roles = other.roles
        thresholds = other.thresholds
        encoded = table.encoded
        self.saltMismatchDisagrees = saltMismatchDisagrees
    }

    /// The level of comparison `c` in `pattern`.
    @inlinable
    public static func level(_ pattern: UInt64, _ c: Int) -> Int { Int((pattern >> UInt64(4 * c)) & 0xF) }

    /// The packed levels of records `i` and `j`.
    /// - Complexity: O(1) for identifiers and dates; O(m·n) scalars for Latin names (JW),
    ///   O(m + n) for the rest; no allocation once `scratch` has grown.
    public func pattern(_ i: Int, _ j: Int, scratch: inout KernelScratch) -> UInt64 {
        var p: UInt64 = 0
        if let e = encoded {
            let mismatch: UInt8 = saltMismatchDisagrees ? 1 : 0
            for c in 0..<kinds.count {
                p |= UInt64(e.level(kinds[c], roles[c], thresholds[c], i, j, saltMismatch: mismatch)) << UInt64(4 * c)
            }
            return p
        }
        for c in 0..<kinds.count {
            p |= UInt64(level(c, i, j, scratch: &scratch)) << UInt64(4 * c)
        }
        return p
    }

    /// The level of comparison `c` for records `i` and `j`.
    public func level(_ c: Int, _ i: Int, _ j: Int, scratch: inout KernelScratch) -> UInt8 {
        if let e = encoded { return e.level(kinds[c], roles[c], thresholds[c], i, j, saltMismatch: saltMismatchDisagrees ? 1 : 0) }
        switch kinds[c] {
        case .chineseName: return chineseName(table.name[i], table.name[j])
        case .latinName: return latinName(table.name[i], table.name[j], thresholds[c], scratch: &scratch)
        case .residentID: return residentID(table.id[i], table.id[j])
        case .idConsistency: return idConsistency(i, j)
        // A record without a birth field (an insurance account) is compared on its ID's date.
        case .birthDate: return birthDate(table.effectiveBirth(i), table.effectiveBirth(j))
        case .sex:
            let a = table.sex[i], b = table.sex[j]
            return a == 0 || b == 0 ? 0 : (a == b ? 2 : 1)
        case .phone: return digits(table.phone[i], table.phone[j], isID: false)
        case .address, .text:
            switch roles[c] {
            case .address:
                if !table.addressPartStart.isEmpty, let level = commonPartsLevel(c, i, j, scratch: &scratch) { return level }
                if kinds[c] == .address && !table.addressBigramStart.isEmpty {
                    // Bigrams made once per record (a sample compared many times): the same
                    // Dice as the sets below, from two sorted lists.
                    let a = table.address[i], b = table.address[j]
                    if a == RecordTable.missingID || b == RecordTable.missingID { return 0 }
                    return a == b ? 4 : addressLevel(c, table.addressBigramDice(i, j))
                }
                return text(c, table.addresses, table.address[i], table.address[j], scratch: &scratch)
            case .area: return text(c, table.areas, table.area[i], table.area[j], scratch: &scratch)
            default: return text(c, table.otherIDs, table.otherID[i], table.otherID[j], scratch: &scratch)
            }
        }
    }

    /// Address (bigram Dice thresholds) or text (exact, one edit, two edits) levels of two text ids.
    @inline(__always)
    private func text(_ c: Int, _ t: borrowing TextTable, _ a: UInt32, _ b: UInt32, scratch: inout KernelScratch) -> UInt8 {
        if a == RecordTable.missingID || b == RecordTable.missingID { return 0 }
        if kinds[c] == .address {
            if a == b { return 4 }
            return addressLevel(c, t.bigramDice(a, b, sets: &scratch.bigrams))
        }
        if a == b { return 4 }
        let sa = t.scalars(of: a), sb = t.scalars(of: b)
        let distance = sa.withUnsafeBufferPointer { pa in
            sb.withUnsafeBufferPointer { pb -> Int in
                OptimalStringAlignment.isWithinOne(pa, pb) ? 1 : OptimalStringAlignment.distance(pa, pb, scratch: &scratch)
            }
        }
        // Two edits is still one number mistyped twice (two copies, each with its own typo);
        // three or more is another number.
        return distance <= 1 ? 3 : distance == 2 ? 2 : 1
    }

    /// The address level of records `i` and `j` on the columns both filled, when each left
    /// blank at most one column the other filled and they share at least two: a blank column
    /// is no evidence either way (one register has no 地址2, a clerk skipped 小区). Bigram Dice
    /// over the shared columns' folded text decides "similar" (level 3), "partial" (2) or "else"
    /// (1); never "exact", since a column is unseen. `nil`: compare the whole addresses.
    private func commonPartsLevel(_ c: Int, _ i: Int, _ j: Int, scratch: inout KernelScratch) -> UInt8? {
        let ri = table.addressParts(i), rj = table.addressParts(j)
        guard ri.count > 1, ri.count == rj.count else { return nil }
        let pool = table.addressPartPool
        var shared = 0, onlyI = 0, onlyJ = 0
        for k in 0..<ri.count {
            let a = pool[ri.lowerBound + k] != RecordTable.missingID, b = pool[rj.lowerBound + k] != RecordTable.missingID
            if a && b { shared += 1 } else if a { onlyI += 1 } else if b { onlyJ += 1 }
        }
        guard onlyI + onlyJ > 0, onlyI <= 1, onlyJ <= 1, shared >= 2 else { return nil }
        func grams(_ r: Range<Int>, _ other: Range<Int>, into out: inout [UInt32]) {
            out.removeAll(keepingCapacity: true)
            for k in 0..<r.count where pool[r.lowerBound + k] != RecordTable.missingID && pool[other.lowerBound + k] != RecordTable.missingID {
                table.addresses.appendScalars(of: pool[r.lowerBound + k], to: &out)
            }
            TextTable.bigramsInPlace(&out)
        }
        grams(ri, rj, into: &scratch.gramsA)
        grams(rj, ri, into: &scratch.gramsB)
        return addressLevel(c, TextTable.dice(scratch.gramsA, scratch.gramsB))
    }

    /// The address level of bigram Dice `d` under comparison `c`'s thresholds: "similar" (3),
    /// "partial" (2) or "else" (1).
    @inline(__always)
    private func addressLevel(_ c: Int, _ d: Double) -> UInt8 {
        d >= thresholds[c][0] ? 3 : d >= thresholds[c][1] ? 2 : 1
    }

    /// Whether two sorted runs of a pool share a value.
    @inline(__always)
    private static func intersects(_ pool: UnsafeBufferPointer<UInt64>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        var i = a.lowerBound, j = b.lowerBound
        while i < a.upperBound && j < b.upperBound {
            let x = pool[i], y = pool[j]
            if x == y { return true }
            if x < y { i &+= 1 } else { j &+= 1 }
        }
        return false
    }

    func chineseName(_ a: UInt32, _ b: UInt32) -> UInt8 {
        if a == RecordTable.missingID || b == RecordTable.missingID { return 0 }
        if a == b { return 7 }
        let x = Int(a), y = Int(b)
        if table.names.foldedID[x] == table.names.foldedID[y] { return 6 }
        // Runs of the pools: their bounds come from the start arrays, so the unchecked reads
        // below stay inside.
        func run(_ starts: [UInt32], _ i: Int) -> Range<Int> { Int(starts[i])..<Int(starts[i + 1]) }
        let same = table.names.readingPool.withUnsafeBufferPointer {
            Self.intersects($0, run(table.names.readingStart, x), run(table.names.readingStart, y))
        }
        if same { return 5 }
        let fuzzy = table.names.fuzzyPool.withUnsafeBufferPointer {
            Self.intersects($0, run(table.names.fuzzyStart, x), run(table.names.fuzzyStart, y))
        }
        if fuzzy { return 4 }
        let ra = run(table.names.scalarStart, x), rb = run(table.names.scalarStart, y)
        let near = table.names.scalarPool.withUnsafeBufferPointer { pool in
            let pa = UnsafeBufferPointer(rebasing: pool[ra]), pb = UnsafeBufferPointer(rebasing: pool[rb])
            // Two-character names one character apart share only the surname or only the
            // given name: too weak for this level, unless the two are swapped.
            return (max(pa.count, pb.count) >= 3 || (pa.count == 2 && pb.count == 2 && pa[0] == pb[1] && pa[1] == pb[0]))
                && OptimalStringAlignment.isWithinOne(pa, pb)
        }
        if near { return 3 }
        let sa = table.names.surname[x]
        if sa != 0 && sa == table.names.surname[y] { return 2 }
        return 1
    }

    /// Latin names token by token: tokens of the shorter name are paired greedily with the
    /// most similar unused token of the other (Jaro-Winkler; an initial agrees with a token it
    /// starts at 0.9, and so does a nickname with its name, per ``LatinNicknames``; tokens of
    /// three or more letters one edit apart at least 0.92), so
    /// reordered, swapped or partly missing names still compare.
    /// Levels: 5 equal after folding; 4 same token count and every pair ≥ t₀; 3 every pair
    /// ≥ t₁ (or ≥ t₀ with a token missing on one side); 2 some pair ≥ t₂ and every pair ≥ 0.7;
    /// 1 else (an equal surname beside a wholly different given name is a relative's).
    func latinName(_ a: UInt32, _ b: UInt32, _ t: [Double], scratch: inout KernelScratch) -> UInt8 {
        if a == RecordTable.missingID || b == RecordTable.missingID { return 0 }
        let n = table.names
        let s0 = Int(n.scalarStart[Int(a)]), s1 = Int(n.scalarStart[Int(a) + 1])
        if a == b || n.foldedID[Int(a)] == n.foldedID[Int(b)] {
            // Equal names of one token (a given name with the surname blank, or the reverse)
            // are the evidence of a name with a token missing on one side, not of a whole name.
            let oneToken = n.scalarPool.withUnsafeBufferPointer { pool in !pool[s0..<s1].contains(0x20) }
            return oneToken ? 4 : 6
        }
        let r0 = Int(n.scalarStart[Int(b)]), r1 = Int(n.scalarStart[Int(b) + 1])
        return n.scalarPool.withUnsafeBufferPointer { pool -> UInt8 in
            Self.latinLevel(UnsafeBufferPointer(rebasing: pool[s0..<s1]), UnsafeBufferPointer(rebasing: pool[r0..<r1]), t,
                            scratch: &scratch)
        }
    }

    /// The ``latinName(_:_:_:scratch:)`` level of two folded names that are not equal
    /// (lowercase tokens separated by single spaces).
    /// - Complexity: O(k²) Jaro-Winkler calls for k tokens (at most 6 per name are paired).
    static func latinLevel(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>, _ t: [Double],
                           scratch: inout KernelScratch) -> UInt8 {
        // Token bounds, at most 6 per name.
        var bx: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
        var by: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
        func bounds(_ s: UnsafeBufferPointer<UInt32>, _ out: UnsafeMutablePointer<Int>) -> Int {
            var k = 0
            out[0] = 0
            for i in 0..<s.count where s[i] == 0x20 && k < 5 {
                k += 1
                out[k] = i + 1
            }
            out[k + 1] = s.count + 1
            return k + 1
        }
        let nicknames = LatinNicknames.shared
        return withUnsafeMutableBytes(of: &bx) { rx -> UInt8 in
            withUnsafeMutableBytes(of: &by) { ry -> UInt8 in
                let px = rx.baseAddress!.assumingMemoryBound(to: Int.self), py = ry.baseAddress!.assumingMemoryBound(to: Int.self)
                var nx = bounds(x, px), ny = bounds(y, py)
                var (u, v) = (x, y)
                var (pu, pv) = (px, py)
                if nx > ny { swap(&u, &v); swap(&pu, &pv); swap(&nx, &ny) }
                // Similarity of every token pair (u's token i, v's token j), at most 6 × 6.
                var sims: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                           Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                           Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                return withUnsafeMutableBytes(of: &sims) { rs -> UInt8 in
                    let sim = rs.baseAddress!.assumingMemoryBound(to: Double.self)
                    var best = 0.0
                    for i in 0..<nx {
                        let ti = UnsafeBufferPointer(rebasing: u[pu[i]..<(pu[i + 1] - 1)])
                        for j in 0..<ny {
                            let tj = UnsafeBufferPointer(rebasing: v[pv[j]..<(pv[j + 1] - 1)])
                            var s: Double
                            if ti.isEmpty || tj.isEmpty {
                                s = 0
                            } else if ti.count == 1 || tj.count == 1 {
                                s = ti[0] != tj[0] ? 0 : (ti.count == tj.count ? 1 : 0.9)
                            } else {
                                s = JaroWinkler.similarity(ti, tj, scratch: &scratch)
                                // One typo in a short token costs Jaro-Winkler a lot (fox, rox: 0.78):
                                // tokens of 3+ letters one edit apart count as 0.92.
                                if s < 0.92 && min(ti.count, tj.count) >= 3 && OptimalStringAlignment.isWithinOne(ti, tj) { s = 0.92 }
                                // A name and its nickname (William, Bill) are close tokens.
                                if s < 0.9 && nicknames.related(ti, tj) { s = 0.9 }
                            }
                            sim[i * 6 + j] = s
                            best = max(best, s)
                        }
                    }
                    // Greedy pairing: the most similar unused pair first.
                    var usedX = 0, usedY = 0, worst = 1.0
                    for _ in 0..<nx {
                        var bi = -1, bj = -1, bs = -1.0
                        for i in 0..<nx where usedX & (1 << i) == 0 {
                            for j in 0..<ny where usedY & (1 << j) == 0 && sim[i * 6 + j] > bs {
                                bs = sim[i * 6 + j]; bi = i; bj = j
                            }
                        }
                        usedX |= 1 << bi
                        usedY |= 1 << bj
                        worst = min(worst, bs)
                    }
                    if nx == ny && worst >= t[0] { return 5 }
                    if worst >= t[1] && (nx == ny || worst >= t[0]) { return 4 }
                    // One token agrees and the rest are at least vaguely alike.
                    if best >= t[2] && worst >= 0.7 { return 3 }
                    // One token agrees beside a wholly different one: a relative (twins share a
                    // surname, a birth date and an address) or a replaced given name. A level of
                    // its own, so that EM decides from the data at hand what it is worth.
                    if best >= t[2] { return 2 }
                    return 1
                }
            }
        }
    }

    /// Whether records `i` and `j` both carry an ID and each birth date compared is its own ID's
    /// date (the field equals it, or is empty so the ID's date stands in): then, when the IDs
    /// agree, the birth dates add nothing (the scorer leaves them out).
    @inline(__always)
    public func birthComesFromIDs(_ i: Int, _ j: Int) -> Bool {
        if let e = encoded { return e.birthComesFromIDs(i, j) }
        let t = table
        func own(_ k: Int) -> Bool {
            if t.birth[k] == t.idBirth[k] || t.birth[k] == RecordTable.missingDate { return true }
            // A month-precision field that is its own ID's year and month comes from the ID too.
            guard RecordTable.isMonthOnly(t.birth[k]), let b = RecordTable.calendar(t.birth[k]),
                  let d = RecordTable.calendar(t.idBirth[k]) else { return false }
            return b.year == d.year && b.month == d.month
        }
        return t.id[i] != 0 && t.id[j] != 0 && own(i) && own(j)
    }

    func residentID(_ a: UInt64, _ b: UInt64) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        if a == b { return 4 }
        var buf: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buf) { raw -> UInt8 in
            let pa = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let pb = pa + 24
            _ = PackedDigits.digits(a, isID: true, into: pa)
            _ = PackedDigits.digits(b, isID: true, into: pb)
            if OptimalStringAlignment.isWithinOne(pa, 18, pb, 18) { return 3 }
            return Self.checkDigitHolds(pa) && Self.checkDigitHolds(pb) ? 1 : 2
        }
    }

    /// Whether 18 digit values (X = 10) pass the GB 11643 MOD 11-2 check.
    @inline(__always)
    static func checkDigitHolds(_ d: UnsafePointer<UInt8>) -> Bool {
        let weights: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        var sum = 0
        withUnsafeBytes(of: weights) { w in
            let ws = w.bindMemory(to: Int.self)
            for k in 0..<17 { sum += Int(d[k]) * ws[k] }
        }
        return (12 - sum % 11) % 11 == Int(d[17])
    }

    func digits(_ a: UInt64, _ b: UInt64, isID: Bool) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        if a == b { return 3 }
        var buf: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let near = withUnsafeMutableBytes(of: &buf) { raw -> Bool in
            let pa = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let pb = pa + 24
            let na = PackedDigits.digits(a, isID: isID, into: pa)
            let nb = PackedDigits.digits(b, isID: isID, into: pb)
            return OptimalStringAlignment.isWithinOne(pa, na, pb, nb)
        }
        return near ? 2 : 1
    }

    func birthDate(_ a: Int32, _ b: Int32) -> UInt8 {
        if a == RecordTable.missingDate || b == RecordTable.missingDate { return 0 }
        if RecordTable.isMonthOnly(a) || RecordTable.isMonthOnly(b) {
            // Known to the month on one side at least: compare what both know.
            guard let x = RecordTable.calendar(a), let y = RecordTable.calendar(b) else { return 0 }
            if x.year == y.year && x.month == y.month { return 4 }
            let months = abs((x.year * 12 + x.month) - (y.year * 12 + y.month))
            return months >= 36 ? 1 : 2
        }
        if a == b { return 7 }
        let x = CivilDate(dayNumber: a), y = CivilDate(dayNumber: b)
        if x.year == y.year && x.month == y.day && x.day == y.month { return 6 }
        let dx = x.year * 10_000 + x.month * 100 + x.day, dy = y.year * 10_000 + y.month * 100 + y.day
        var p = dx, q = dy, differing = 0, first = -1
        for k in 0..<8 {
            if p % 10 != q % 10 {
                differing += 1
                if first < 0 { first = k }
            }
            p /= 10; q /= 10
        }
        if differing == 1 { return 5 }
        // Two adjacent digits swapped (0122 for 0212) is one slip of the keyboard too.
        if differing == 2, first < 7 {
            var scale = 1
            for _ in 0..<first { scale *= 10 }
            let x0 = dx / scale % 10, x1 = dx / (scale * 10) % 10, y0 = dy / scale % 10, y1 = dy / (scale * 10) % 10
            if x0 == y1 && x1 == y0 && x0 != x1 { return 5 }
        }
        if x.year == y.year && x.month == y.month { return 4 }
        // Day and month agree but the year does not (1989 for 1990, 1929 for 1999): a year
        // mistyped or misremembered, far likelier between the same person's records than chance.
        if x.month == y.month && x.day == y.day { return 3 }
        return abs(Int(a) - Int(b)) >= 3 * 365 ? 1 : 2
    }

    func idConsistency(_ i: Int, _ j: Int) -> UInt8 {
        var checks = 0, birthBad = false, sexBad = false
        let t = table
        func check(_ x: Int, _ y: Int) {
            guard t.id[x] != 0 else { return }
            if t.idBirth[x] != RecordTable.missingDate && t.birth[y] != RecordTable.missingDate {
                checks += 1
                if RecordTable.isMonthOnly(t.birth[y]) {
                    // A month-precision field agrees with the ID's date when year and month do.
                    let i = RecordTable.calendar(t.idBirth[x]), f = RecordTable.calendar(t.birth[y])
                    if i?.year != f?.year || i?.month != f?.month { birthBad = true }
                } else if t.idBirth[x] != t.birth[y] {
                    birthBad = true
                }
            }
            if t.idSex[x] != 0 && t.sex[y] != 0 {
                checks += 1
                if t.idSex[x] != t.sex[y] { sexBad = true }
            }
        }
        check(i, j)
        check(j, i)
        if checks == 0 { return 0 }
        return birthBad ? 1 : sexBad ? 2 : 3
    }
}
