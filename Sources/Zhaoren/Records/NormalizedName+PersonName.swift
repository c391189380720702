import ZhaorenSupport

extension NormalizedName {
    /// The engine's view of a name made by ``NameNormalizer``: the folded form, the surname,
    /// and one pinyin key per combination of readings. Every reading of each character counts
    /// (plus the surname reading at the surname positions), so 单 meets both dān and shàn;
    /// when the combinations would exceed `maxCombinations`, positions beyond that keep only
    /// their chosen reading. Characters without a reading stand for themselves. Latin-script
    /// names get ``LatinPhonetic`` keys instead: one per token as readings, the sorted
    /// token keys of the whole name as the fuzzy key.
    ///
    /// ```swift
    /// let names = try NameNormalizer()
    /// let n = NormalizedName(names.normalize("单丽"), pinyin: names.pinyin)
    /// n.readingKeys.count   // 3 (dan, shan, chan) × 1
    /// ```
    public init(_ p: PersonName, pinyin: borrowing PinyinTable, maxCombinations: Int = 16) {
        let latin = p.script == .latin
        if latin {
            // Latin names: one phonetic key per token (any token meets: reordered and split
            // names still block together), and the sorted keys of the whole name as the fuzzy key.
            var tokenKeys: [String] = []
            for token in p.tokens {
                let k = LatinPhonetic.key(Array(token.utf8))
                if !k.isEmpty && !tokenKeys.contains(k) { tokenKeys.append(k) }
            }
            let keys = tokenKeys.map { StableHash.of($0) }
            let whole = tokenKeys.isEmpty ? [] : [StableHash.of(tokenKeys.sorted().joined(separator: " "))]
            self.init(folded: p.folded, readingKeys: keys, fuzzyKeys: whole, surname: p.surname, isLatin: true)
            return
        }
        if p.units.isEmpty {
            let keys = p.pinyin.isEmpty ? [] : [StableHash.of(p.pinyin)]
            let fuzzy = p.fuzzyPinyin.isEmpty ? [] : [StableHash.of(p.fuzzyPinyin)]
            self.init(folded: p.folded, readingKeys: keys, fuzzyKeys: fuzzy, surname: p.surname, isLatin: latin)
            return
        }
        var keys: [UInt64] = [0xCBF2_9CE4_8422_2325]
        var fuzzy: [UInt64] = [0xCBF2_9CE4_8422_2325]
        var options: [UInt64] = [], fuzzyOptions: [UInt64] = [], next: [UInt64] = []
        for (k, unit) in p.units.enumerated() {
            options.removeAll(keepingCapacity: true)
            fuzzyOptions.removeAll(keepingCapacity: true)
            let chosen = k < p.syllables.count ? p.syllables[k] : 0
            // No local function capturing `pinyin` here: that copied the table (a dozen
            // reference-counted arrays) for every character of every distinct name.
            if chosen != 0 { Self.add(chosen, fuzzy: pinyin.fuzzyID(chosen), to: &options, &fuzzyOptions) }
            if keys.count < maxCombinations, PinyinTable.covers(unit) {
                for r in pinyin.readings(unit) where keys.count * (options.count + 1) <= maxCombinations {
                    Self.add(r, fuzzy: pinyin.fuzzyID(r), to: &options, &fuzzyOptions)
                }
            }
            if options.isEmpty {
                options.append(UInt64(unit) | 1 << 40)
                fuzzyOptions.append(UInt64(unit) | 1 << 40)
            }
            Self.extend(&keys, with: options, scratch: &next)
            Self.extend(&fuzzy, with: fuzzyOptions, scratch: &next)
        }
        for k in keys.indices { keys[k] = StableHash.finalize(keys[k]) }
        for k in fuzzy.indices { fuzzy[k] = StableHash.finalize(fuzzy[k]) }
        self.init(folded: p.folded, readingKeys: keys, fuzzyKeys: fuzzy, surname: p.surname, isLatin: latin)
    }

    /// Adds syllable `s` and its fuzzy syllable to the options of one position, each once.
    @inline(__always)
    private static func add(_ s: UInt16, fuzzy f: UInt16, to options: inout [UInt64], _ fuzzyOptions: inout [UInt64]) {
        let v = UInt64(s), fv = UInt64(f)
        if !options.contains(v) { options.append(v) }
        if !fuzzyOptions.contains(fv) { fuzzyOptions.append(fv) }
    }

    /// Every running hash in `hashes` extended by every option (FNV-1a step), in place.
    @inline(__always)
    private static func extend(_ hashes: inout [UInt64], with options: [UInt64], scratch: inout [UInt64]) {
        if options.count == 1 {
            for k in hashes.indices { hashes[k] = (options[0] ^ hashes[k]) &* 0x100_0000_01B3 }
            return
        }
        scratch.removeAll(keepingCapacity: true)
        for h in hashes { for o in options { scratch.append((o ^ h) &* 0x100_0000_01B3) } }
        swap(&hashes, &scratch)
    }
}
