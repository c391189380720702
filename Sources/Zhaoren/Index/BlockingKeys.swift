import ZhaorenSupport

/// Computes blocking keys and the matching predicate of each rule for records of a table.
/// Keys are stable 64-bit hashes whose low ``recordBits`` bits are cleared (the sort packs
/// the record index there).
struct BlockingKeys: Sendable {
    let table: RecordTable
    let rules: [BlockingRule]
    let recordBits: Int
    var keyMask: UInt64 { ~((1 << UInt64(recordBits)) - 1) }
    /// Per rule: keys whose block was oversized, and sub-keys dropped after splitting.
    var oversized: [Set<UInt64>]
    var droppedSub: [Set<UInt64>]

    /// The single-valued parts' values, computed once for every record: part `p`'s value of
    /// record `i` is `columns[columnSlot[p.ordinal] * count + i]`, 0 when missing.
    let columns: [UInt64]
    /// Per part ordinal: its slot in ``columns``, or -1.
    let columnSlot: [Int]
    /// Per rule: whether every part is single-valued (keys straight from ``columns``).
    let singleValued: [Bool]
    /// Per rule: whether exactly one part is multi-valued (``fanOutKeys(rule:_:pass:of:into:)``).
    let fansOut: [Bool]
    /// Every rule's parts in one array (rule `r`'s are `ruleOn[ruleOnStart[r]..<ruleOnStart[r + 1]]`):
    /// the pair loops' agreement checks read them without retaining each rule's own array.
    let ruleOn: [BlockingKeyPart]
    let ruleOnStart: [Int]
    /// The tokens, when the records are keyed-encoded: every part reads them instead of values.
    let encoded: EncodedColumns?
    /// Per record: whether its ID passes the check digit, worked out once when a rule blocks on
    /// ``BlockingKeyPart/idCorrections`` (empty otherwise: asked of the ID when needed). A
    /// number that passes is its only correction, and two different ones never agree: most
    /// pairs a later rule makes are settled on these bytes, not by decoding both IDs.
    let idPasses: [Bool]

    /// Keys for the records of `table` under `rules`. With `precompute` (the batch blocker),
    /// the single-valued parts' values are computed once for every record; without it (an
    /// incremental index that keys a few records of a growing table) nothing is computed up
    /// front. `recordBits` fixes the low bits cleared in every key (default: enough for the
    /// table's record indices, at least 16), so keys of different tables can be compared.
    init(table: RecordTable, rules: [BlockingRule], precompute: Bool = true, recordBits fixed: Int? = nil) {
        self.table = table
        self.rules = rules
        encoded = table.encoded
        recordBits = fixed ?? Self.recordBits(for: table.count)
        oversized = Array(repeating: [], count: rules.count)
        droppedSub = Array(repeating: [], count: rules.count)
        ruleOn = rules.flatMap(\.on)
        ruleOnStart = rules.reduce(into: [0]) { $0.append($0.last! + $1.on.count) }
        singleValued = rules.map { !$0.on.contains(where: Self.isMultiValued) }
        fansOut = rules.map { $0.on.filter(Self.isMultiValued).count == 1 }
        // Columns for the single-valued parts any rule (or split) uses, filled in parallel.
        var slot = [Int](repeating: -1, count: BlockingKeyPart.allCases.count)
        var parts: [BlockingKeyPart] = []
        for rule in rules where precompute {
            for p in rule.on + rule.splitBy where !Self.isMultiValued(p) && slot[p.ordinal] < 0 {
                slot[p.ordinal] = parts.count
                parts.append(p)
            }
        }
        columnSlot = slot
        let n = table.count
        var flat = [UInt64](repeating: 0, count: parts.count * n)
        let used = parts
        let tokens = table.encoded
        flat.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            let ranges = Parallel.chunks(count: n, minimumChunk: 1 << 15)
            Parallel.run(parts.count * ranges.count) { k in
                let p = k / ranges.count, range = ranges[k % ranges.count]
                let part = used[p]
                let base = out + p * n
                if let tokens {
                    for i in range { base[i] = Self.singleValue(part, tokens, i) }
                } else {
                    for i in range { base[i] = Self.singleValue(part, table, i) }
                }
            }
        }
        columns = flat
        if precompute && tokens == nil && rules.contains(where: { $0.on.contains(.idCorrections) }) {
            var passes = [Bool](repeating: false, count: n)
            passes.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer.baseAddress!
                let ranges = Parallel.chunks(count: n, minimumChunk: 1 << 15)
                Parallel.run(ranges.count) { k in
                    let range = ranges[k]
                    table.id.withUnsafeBufferPointer { id in
                        for i in range { out[i] = id[i] != 0 && Self.passesCheck(id[i]) }
                    }
                }
            }
            idPasses = passes
        } else {
            idPasses = []
        }
    }

    /// Whether record `i`'s ID `packed` (not missing) passes the check digit.
    @inline(__always)
    func idPassesCheck(_ i: Int, _ packed: UInt64) -> Bool {
        idPasses.isEmpty ? Self.passesCheck(packed) : idPasses[i]
    }

    /// The low key bits cleared for record indices in a table of `count` records: enough for
    /// every index, at least 16 (a sharded run uses its whole input's count in every part).
    static func recordBits(for count: Int) -> Int {
        var bits = 1
        while (1 << bits) < count + 1 { bits += 1 }
        return max(bits, 16)
    }

    static func isMultiValued(_ p: BlockingKeyPart) -> Bool {
        switch p {
        case .idDeletions, .idCorrections, .phoneDeletions, .pinyin, .fuzzyPinyin, .otherIDDeletions: return true
        default: return false
        }
    }

    /// The value of single-valued `part` for record `i` of `t`, 0 when missing.
    @inline(__always)
    static func singleValue(_ part: BlockingKeyPart, _ t: RecordTable, _ i: Int) -> UInt64 {
        let tag = part.tag
        switch part {
        case .id: return t.id[i]
        case .phone: return t.phone[i]
        case .name:
            let n = t.name[i]
            return n == RecordTable.missingID ? 0 : t.names.foldedHash[Int(t.names.foldedID[Int(n)])] ^ tag
        case .surname:
            let n = t.name[i]
            return n == RecordTable.missingID || t.names.surname[Int(n)] == 0 ? 0 : t.names.surname[Int(n)] ^ tag
        case .birth:
            let b = t.effectiveBirth(i)
            return b == RecordTable.missingDate ? 0 : UInt64(UInt32(bitPattern: b)) | tag
        case .idBirth:
            let b = t.idBirth[i]
            return b == RecordTable.missingDate ? 0 : UInt64(UInt32(bitPattern: b)) | tag
        case .birthYear:
            let b = t.effectiveBirth(i)
            return RecordTable.calendar(b).map { UInt64($0.year) | tag } ?? 0
        case .birthUnordered:
            let b = t.effectiveBirth(i)
            guard b != RecordTable.missingDate, !RecordTable.isMonthOnly(b) else { return 0 }
            let d = CivilDate(dayNumber: b)
            return UInt64(d.year * 10_000 + min(d.month, d.day) * 100 + max(d.month, d.day)) | tag
        case .sex:
            let s = t.effectiveSex(i)
            return s == 0 ? 0 : UInt64(s) | tag
        case .address: return t.address[i] == RecordTable.missingID ? 0 : t.addresses.hash[Int(t.address[i])] ^ tag
        case .otherID: return t.otherID[i] == RecordTable.missingID ? 0 : t.otherIDs.hash[Int(t.otherID[i])] ^ tag
        case .area: return t.area[i] == RecordTable.missingID ? 0 : t.areas.hash[Int(t.area[i])] ^ tag
        case .idDeletions, .idCorrections, .phoneDeletions, .pinyin, .fuzzyPinyin, .otherIDDeletions: return 0
        }
    }

    /// The value of single-valued `part` for encoded record `i`: its token (xor the part's
    /// tag), 0 when missing.
    @inline(__always)
    static func singleValue(_ part: BlockingKeyPart, _ e: EncodedColumns, _ i: Int) -> UInt64 {
        let v: UInt64
        switch part {
        case .id: v = e.first(.id, i)
        case .phone: v = e.first(.phone, i)
        case .name: v = e.first(.nameFolded, i)
        case .surname: v = e.first(.surname, i)
        case .birth: v = e.effectiveBirth(i)
        case .idBirth: v = e.first(.idBirth, i)
        case .birthYear: v = e.first(.birthYear, i)
        case .birthUnordered: v = e.first(.birthSwapped, i)
        case .sex: v = e.effectiveSex(i)
        case .address: v = e.first(.address, i)
        case .otherID: v = e.first(.otherID, i)
        case .area: v = e.first(.area, i)
        case .idDeletions, .idCorrections, .phoneDeletions, .pinyin, .fuzzyPinyin, .otherIDDeletions: v = 0
        }
        return v == 0 ? 0 : v ^ part.tag
    }

    /// The values of `part` for encoded record `i` (its tokens, xor the part's tag).
    func encodedValues(_ part: BlockingKeyPart, _ i: Int, into out: inout [UInt64]) {
        let e = encoded!
        let start = out.count
        switch part {
        case .idDeletions: e.append(.idMask, i, into: &out)
        case .idCorrections:
            e.append(e.flags(i).contains(.idPassesCheck) ? .id : .idFix, i, into: &out)
        case .phoneDeletions: e.append(.phoneDeletions, i, into: &out)
        case .pinyin, .fuzzyPinyin:
            e.append(part == .pinyin ? .namePinyin : .nameFuzzy, i, into: &out)
            if out.count == start, e.has(.nameFolded, i) { out.append(e.first(.nameFolded, i) ^ 0xFF) }
        case .otherIDDeletions:
            e.append(.otherID, i, into: &out)
            e.append(.otherIDDeletions, i, into: &out)
        default:
            let v = Self.singleValue(part, e, i)
            if v != 0 { out.append(v) }
            return
        }
        let tag = part.tag
        for k in start..<out.count { out[k] ^= tag }
    }

    /// Appends the values of `part` for record `i` to `out`; appends nothing when missing.
    func values(_ part: BlockingKeyPart, _ i: Int, into out: inout [UInt64]) {
        let slot = columnSlot[part.ordinal]
        if slot >= 0 {
            let v = columns[slot * table.count + i]
            if v != 0 { out.append(v) }
            return
        }
        if encoded != nil { encodedValues(part, i, into: &out); return }
        let t = table
        let tag = part.tag
        switch part {
        case .idCorrections:
            let x = t.id[i]
            if x == 0 { return }
            // A number known to pass its check digit is its only correction; otherwise the
            // corrections decide (they test the check digit themselves).
            if !idPasses.isEmpty && idPasses[i] { out.append(x ^ tag) } else { Self.corrections(x, tag: tag, into: &out) }
        case .idDeletions, .phoneDeletions:
            let packed = part == .idDeletions ? t.id[i] : t.phone[i]
            guard packed != 0 else { return }
            let isID = part == .idDeletions
            var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &buf) { raw in
                let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                let n = PackedDigits.digits(packed, isID: isID, into: d)
                // Variant p (digit p deleted) = prefix(0..<p) · B^(n−1−p) + suffix(p+1..<n): O(n) for all.
                let base: UInt64 = 11
                var suffix: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                             UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &suffix) { sraw in
                    let suf = sraw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                    // suf[p] = value of d[p..<n]; power tracked alongside.
                    suf[n] = 0
                    var power: UInt64 = 1
                    var powers: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                 UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
                        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    withUnsafeMutableBytes(of: &powers) { praw in
                        let pw = praw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                        for p in stride(from: n - 1, through: 0, by: -1) {
                            pw[n - 1 - p] = power
                            suf[p] = UInt64(d[p]) &* power &+ suf[p + 1]
                            power = power &* base
                        }
                        var prefix: UInt64 = 0
                        let lengthTag = UInt64(n) << 59
                        for p in 0..<n {
                            let v = prefix &* pw[n - 1 - p] &+ suf[p + 1]
                            out.append(StableHash.finalize((v | lengthTag) ^ tag))
                            prefix = prefix &* base &+ UInt64(d[p])
                        }
                    }
                }
            }
        case .pinyin, .fuzzyPinyin:
            let n = t.name[i]
            guard n != RecordTable.missingID else { return }
            let keys = part == .pinyin ? t.names.readings(of: n) : t.names.fuzzyReadings(of: n)
            if keys.isEmpty {
                out.append(t.names.foldedHash[Int(t.names.foldedID[Int(n)])] ^ tag ^ 0xFF)
            } else {
                for k in keys { out.append(k ^ tag) }
            }
        case .otherIDDeletions:
            guard t.otherID[i] != RecordTable.missingID else { return }
            let s = t.otherIDs.scalars(of: t.otherID[i])
            out.append(StableHash.of(scalars: s) ^ tag)
            guard s.count >= 2 else { return }
            // The hash of the value without scalar p: the running hash of the prefix, then the
            // rest (the same FNV-1a as StableHash.of, without building each variant).
            var prefix = StableHash.offsetBasis
            for p in s.indices {
                var h = prefix
                for q in (p + 1)..<s.endIndex { h = (h ^ UInt64(s[q])) &* StableHash.prime }
                out.append(StableHash.finalize(h) ^ tag)
                prefix = (prefix ^ UInt64(s[p])) &* StableHash.prime
            }
        default:
            let v = Self.singleValue(part, t, i)
            if v != 0 { out.append(v) }
        }
    }

    /// Whether records `a` and `b` agree on `part` in the sense its keys stand for.
    func agree(_ part: BlockingKeyPart, _ a: Int, _ b: Int) -> Bool {
        // Single-valued parts: equal values have equal column entries, so different entries (or
        // a missing value) settle most calls without touching the table.
        let slot = columnSlot[part.ordinal]
        if slot >= 0 {
            let n = table.count
            let x = columns[slot * n + a]
            if x == 0 || x != columns[slot * n + b] { return false }
            // An entry that is the value itself settles agreement too: no second look at the
            // table (two more cache misses per pair an earlier rule made).
            if Self.columnIsExact(part) { return true }
        }
        if encoded != nil {
            // Single-valued parts were settled above; multi-valued ones share a token.
            if slot >= 0 { return true }
            let e = encoded!
            switch part {
            case .idDeletions: return e.intersects(.idMask, a, b)
            case .idCorrections:
                return e.intersects(e.flags(a).contains(.idPassesCheck) ? .id : .idFix, a,
                                    e.flags(b).contains(.idPassesCheck) ? .id : .idFix, b)
            case .phoneDeletions: return e.intersects(.phoneDeletions, a, b)
            case .pinyin, .fuzzyPinyin:
                let f: EncodedField = part == .pinyin ? .namePinyin : .nameFuzzy
                let x = e.has(f, a), y = e.has(f, b)
                if x && y { return e.intersects(f, a, b) }
                return !x && !y && e.has(.nameFolded, a) && e.first(.nameFolded, a) == e.first(.nameFolded, b)
            case .otherIDDeletions:
                return e.intersects(.otherID, a, b) || e.intersects(.otherID, a, .otherIDDeletions, b)
                    || e.intersects(.otherIDDeletions, a, .otherID, b) || e.intersects(.otherIDDeletions, a, b)
            default:
                let v = Self.singleValue(part, e, a)
                return v != 0 && v == Self.singleValue(part, e, b)
            }
        }
        let t = table
        switch part {
        case .id: return t.id[a] != 0 && t.id[a] == t.id[b]
        case .phone: return t.phone[a] != 0 && t.phone[a] == t.phone[b]
        case .idDeletions, .phoneDeletions:
            let isID = part == .idDeletions
            let x = isID ? t.id[a] : t.phone[a], y = isID ? t.id[b] : t.phone[b]
            if x == 0 || y == 0 { return false }
            if x == y { return true }
            var buf: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &buf) { raw -> Bool in
                let pa = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                let pb = pa + 24
                let na = PackedDigits.digits(x, isID: isID, into: pa)
                let nb = PackedDigits.digits(y, isID: isID, into: pb)
                return na == nb && OptimalStringAlignment.isWithinOne(pa, na, pb, nb)
            }
        case .idCorrections:
            let x = t.id[a], y = t.id[b]
            if x == 0 || y == 0 { return false }
            if x == y { return true }
            // Two different numbers that both pass the check digit have only themselves as
            // corrections: settled without making any.
            let px = idPassesCheck(a, x), py = idPassesCheck(b, y)
            if px && py { return false }
            // One passes: it is its own only correction, so the two agree when it is one of
            // the other's, i.e. one substitution or swap of neighbours away.
            if px || py { return PackedDigits.idsOneSubstitutionOrSwapApart(x, y) }
            var ca: [UInt64] = [], cb: [UInt64] = []
            Self.corrections(x, tag: 0, into: &ca)
            Self.corrections(y, tag: 0, into: &cb)
            for v in ca where cb.contains(v) { return true }
            return false
        case .name:
            let x = t.name[a], y = t.name[b]
            return x != RecordTable.missingID && y != RecordTable.missingID
                && t.names.foldedID[Int(x)] == t.names.foldedID[Int(y)]
        case .pinyin, .fuzzyPinyin:
            let x = t.name[a], y = t.name[b]
            guard x != RecordTable.missingID, y != RecordTable.missingID else { return false }
            let kx = part == .pinyin ? t.names.readings(of: x) : t.names.fuzzyReadings(of: x)
            let ky = part == .pinyin ? t.names.readings(of: y) : t.names.fuzzyReadings(of: y)
            if kx.isEmpty || ky.isEmpty {
                return kx.isEmpty && ky.isEmpty && t.names.foldedID[Int(x)] == t.names.foldedID[Int(y)]
            }
            var i = kx.startIndex, j = ky.startIndex
            while i < kx.endIndex && j < ky.endIndex {
                if kx[i] == ky[j] { return true }
                if kx[i] < ky[j] { i += 1 } else { j += 1 }
            }
            return false
        case .surname:
            let x = t.name[a], y = t.name[b]
            guard x != RecordTable.missingID, y != RecordTable.missingID else { return false }
            let s = t.names.surname[Int(x)]
            return s != 0 && s == t.names.surname[Int(y)]
        case .birth:
            let x = t.effectiveBirth(a)
            return x != RecordTable.missingDate && x == t.effectiveBirth(b)
        case .idBirth: return t.idBirth[a] != RecordTable.missingDate && t.idBirth[a] == t.idBirth[b]
        case .birthYear:
            let x = t.effectiveBirth(a), y = t.effectiveBirth(b)
            guard x != RecordTable.missingDate, y != RecordTable.missingDate else { return false }
            return x == y || RecordTable.calendar(x)?.year == RecordTable.calendar(y)?.year
        case .birthUnordered:
            let x = t.effectiveBirth(a), y = t.effectiveBirth(b)
            guard x != RecordTable.missingDate, y != RecordTable.missingDate,
                  !RecordTable.isMonthOnly(x), !RecordTable.isMonthOnly(y) else { return false }
            if x == y { return true }
            let p = CivilDate(dayNumber: x), q = CivilDate(dayNumber: y)
            return p.year == q.year && min(p.month, p.day) == min(q.month, q.day) && max(p.month, p.day) == max(q.month, q.day)
        case .sex:
            let x = t.effectiveSex(a)
            return x != 0 && x == t.effectiveSex(b)
        case .address: return t.address[a] != RecordTable.missingID && t.address[a] == t.address[b]
        case .otherID: return t.otherID[a] != RecordTable.missingID && t.otherID[a] == t.otherID[b]
        case .otherIDDeletions:
            let x = t.otherID[a], y = t.otherID[b]
            if x == RecordTable.missingID || y == RecordTable.missingID { return false }
            if x == y { return true }
            return t.otherIDs.scalars(of: x).withUnsafeBufferPointer { pa in
                t.otherIDs.scalars(of: y).withUnsafeBufferPointer { pb in OptimalStringAlignment.isWithinOne(pa, pb) }
            }
        case .area: return t.area[a] != RecordTable.missingID && t.area[a] == t.area[b]
        }
    }

    /// Whether the packed ID passes its check digit (``PackedDigits/idPassesCheck(_:)``).
    @inline(__always)
    static func passesCheck(_ packed: UInt64) -> Bool { PackedDigits.idPassesCheck(packed) }

    /// The ID's check-digit corrections, xor `tag` (``PackedDigits/idCorrections(_:tag:into:)``).
    @inline(__always)
    static func corrections(_ packed: UInt64, tag: UInt64, into out: inout [UInt64]) {
        PackedDigits.idCorrections(packed, tag: tag, into: &out)
    }

    /// Whether `part`'s column entry is its value itself (an ID, a phone, a day, a year, a
    /// sex), not a hash: equal nonzero entries then mean the records agree on it, exactly as
    /// the table's test says.
    @inline(__always)
    static func columnIsExact(_ part: BlockingKeyPart) -> Bool {
        switch part {
        case .id, .phone, .birth, .idBirth, .birthYear, .birthUnordered, .sex: true
        default: false
        }
    }

    /// Whether records `a` and `b` agree on every part of rule `r`.
    func agree(rule r: Int, _ a: Int, _ b: Int) -> Bool {
        for k in ruleOnStart[r]..<ruleOnStart[r + 1] where !agree(ruleOn[k], a, b) { return false }
        return true
    }

    /// The raw keys of rule `r` for record `i`: combinations of its parts' values, masked,
    /// sorted and distinct (at most 64), into `keys`. `tmp` is working space.
    func rawKeys(rule r: Int, _ i: Int, into keys: inout [UInt64], tmp: inout [UInt64], sorted: Bool = true) {
        keys.removeAll(keepingCapacity: true)
        let seed = Self.seed(rule: r)
        if rules[r].on.count == 1 {
            // One part: its values (already well mixed) salted by the rule, one mixing step each.
            values(rules[r].on[0], i, into: &keys)
            for k in keys.indices { keys[k] = StableHash.finalize(keys[k] ^ seed) & keyMask }
            if sorted && keys.count > 1 { sortUnique(&keys) }
            return
        }
        keys.append(seed)
        for part in rules[r].on {
            tmp.removeAll(keepingCapacity: true)
            values(part, i, into: &tmp)
            if tmp.isEmpty { keys.removeAll(keepingCapacity: true); return }
            if tmp.count == 1 {
                for k in keys.indices { keys[k] = StableHash.combine(keys[k], tmp[0]) }
            } else {
                let base = keys.count
                let limit = max(1, 64 / base)
                for k in 0..<base {
                    for v in tmp.prefix(limit) { keys.append(StableHash.combine(keys[k], v)) }
                }
                keys.removeFirst(base)
            }
        }
        let mask = keyMask
        for k in keys.indices { keys[k] &= mask }
        if sorted && keys.count > 1 { sortUnique(&keys) }
    }

    /// The salt of rule `r`'s keys.
    @inline(__always)
    static func seed(rule r: Int) -> UInt64 { StableHash.finalize(UInt64(r + 1) &* 0x9E37_79B9_7F4A_7C15) }

    /// Packs the key of every record in `range` with its index into `out`, for a rule whose
    /// parts are all single-valued: straight from ``columns``, the same keys as ``rawKeys``.
    func singleValuedKeys(rule r: Int, _ range: Range<Int>, into out: inout [UInt64]) {
        let n = table.count
        let offsets = rules[r].on.map { columnSlot[$0.ordinal] * n }
        let seed = Self.seed(rule: r), mask = keyMask
        columns.withUnsafeBufferPointer { col in
            if offsets.count == 1 {
                let c = col.baseAddress! + offsets[0]
                for i in range where c[i] != 0 { out.append(StableHash.finalize(c[i] ^ seed) & mask | UInt64(i)) }
                return
            }
            records: for i in range {
                var h = seed
                for o in offsets {
                    let v = col[o + i]
                    if v == 0 { continue records }
                    h = StableHash.combine(h, v)
                }
                out.append(h & mask | UInt64(i))
            }
        }
    }

    /// Like ``singleValuedKeys(rule:_:into:)`` for a rule with exactly one multi-valued part:
    /// each of its values fans out into one key (the same keys as ``rawKeys``). Only keys of
    /// partition `pass` of `passes` are kept.
    func fanOutKeys(rule r: Int, _ range: Range<Int>, pass: Int, of passes: Int, into out: inout [UInt64]) {
        let n = table.count
        let on = rules[r].on
        guard let multi = on.firstIndex(where: Self.isMultiValued) else { return }
        let offsets = on.map { Self.isMultiValued($0) ? -1 : columnSlot[$0.ordinal] * n }
        let seed = Self.seed(rule: r), mask = keyMask
        let part = on[multi]
        var values: [UInt64] = []
        let names = table.names
        let pinyin = (part == .pinyin || part == .fuzzyPinyin) && encoded == nil
        let readings: [UInt64]? = !pinyin ? nil : part == .pinyin ? names.readingPool : names.fuzzyPool
        let starts = part == .pinyin ? names.readingStart : names.fuzzyStart
        let nameColumn = table.name, foldedIDs = names.foldedID, foldedHashes = names.foldedHash
        @inline(__always) func emit(_ key: UInt64, _ i: Int) {
            if passes == 1 || Int((key >> 40) % UInt64(passes)) == pass { out.append(key | UInt64(i)) }
        }
        columns.withUnsafeBufferPointer { col in
            records: for i in range {
                var h = seed
                for k in 0..<multi {
                    let v = col[offsets[k] + i]
                    if v == 0 { continue records }
                    h = StableHash.combine(h, v)
                }
                for k in (multi + 1)..<on.count where col[offsets[k] + i] == 0 { continue records }
                values.removeAll(keepingCapacity: true)
                if let pool = readings {
                    // Pinyin keys straight from the name table's pools (no slices).
                    let name = nameColumn[i]
                    if name == RecordTable.missingID { continue records }
                    let a = Int(starts[Int(name)]), b = Int(starts[Int(name) + 1])
                    if a == b {
                        values.append(foldedHashes[Int(foldedIDs[Int(name)])] ^ part.tag ^ 0xFF)
                    } else {
                        for k in a..<b { values.append(pool[k] ^ part.tag) }
                    }
                } else {
                    self.values(part, i, into: &values)
                }
                if on.count == 1 {
                    for v in values { emit(StableHash.finalize(v ^ seed) & mask, i) }
                    continue
                }
                for v in values.prefix(64) {
                    var g = StableHash.combine(h, v)
                    for k in (multi + 1)..<on.count { g = StableHash.combine(g, col[offsets[k] + i]) }
                    emit(g & mask, i)
                }
            }
        }
    }

    @inline(__always)
    func sortUnique(_ keys: inout [UInt64]) {
        keys.sort()
        var w = 1
        for k in 1..<keys.count where keys[k] != keys[w - 1] { keys[w] = keys[k]; w += 1 }
        keys.removeLast(keys.count - w)
    }

    /// The single split value of record `i` for rule `r`, or `nil` if a split part is missing.
    func splitValue(rule r: Int, _ i: Int, tmp: inout [UInt64]) -> UInt64? {
        var h: UInt64 = 0x5350_4C49_54
        for part in rules[r].splitBy {
            tmp.removeAll(keepingCapacity: true)
            values(part, i, into: &tmp)
            guard let v = tmp.first else { return nil }
            h = StableHash.combine(h, v)
        }
        return h
    }

    /// The sub-key of an oversized key `k` for record `i`, or `nil` if it cannot be split.
    func subKey(rule r: Int, _ k: UInt64, _ i: Int, tmp: inout [UInt64]) -> UInt64? {
        guard !rules[r].splitBy.isEmpty, let v = splitValue(rule: r, i, tmp: &tmp) else { return nil }
        return StableHash.combine(k, v) & keyMask
    }

    /// The keys under which record `i` actually sits in rule `r`'s blocks (after oversized
    /// blocks were split or dropped), sorted.
    func effectiveKeys(rule r: Int, _ i: Int, into keys: inout [UInt64], tmp: inout [UInt64]) {
        rawKeys(rule: r, i, into: &keys, tmp: &tmp)
        guard !oversized[r].isEmpty else { return }
        var w = 0
        for k in 0..<keys.count {
            let key = keys[k]
            if !oversized[r].contains(key) { keys[w] = key; w += 1; continue }
            if let s = subKey(rule: r, key, i, tmp: &tmp), !droppedSub[r].contains(s) { keys[w] = s; w += 1 }
        }
        keys.removeLast(keys.count - w)
        keys.sort()
    }
}
