import Dispatch
import ZhaorenICU
import ZhaorenSupport

extension PinyinTable {
    /// Builds the table: the primary reading of every character in U+3400–U+9FFF is ICU
    /// `Han-Latin`'s, read from the embedded `Data/names-pinyin-han-latin.tsv` (made with ICU
    /// 72.1, so readings do not change with the ICU a machine has), then the other embedded
    /// tables are merged in.
    ///
    /// - Throws: never since the readings are embedded; kept for callers written against the
    ///   ICU-built table.
    /// - Complexity: about 20 ms; do it once per process.
    public init() throws(ICUError) {
        self.init(icuReadings: Self.embeddedReadings())
    }

    /// ICU `Han-Latin`'s toneless reading of every covered character (`nil`: none), indexed by
    /// scalar − `firstScalar`, from the embedded `Data/names-pinyin-han-latin.tsv`.
    ///
    /// ```swift
    /// PinyinTable.embeddedReadings()[0x4E00 - 0x3400]   // "yi" (一)
    /// ```
    package static func embeddedReadings() -> [String?] {
        var readings = [String?](repeating: nil, count: Int(lastScalar - firstScalar) + 1)
        for row in NameTables.rows(EmbeddedData.pinyinHanLatin) where row.count >= 2 {
            guard let c = NameTables.scalar(row[0]), covers(c) else { continue }
            readings[Int(c - firstScalar)] = toneless(row[1])
        }
        return readings
    }

    /// Builds the table from per-character primary readings (toneless, `nil` for none), indexed
    /// by scalar − `firstScalar`. Exposed to tests and to `init()`.
    init(icuReadings: [String?]) {
        var syllables = [""] + NameTables.pinyinSyllables()
        var idOf: [String: UInt16] = [:]
        for (i, s) in syllables.enumerated() { idOf[s] = UInt16(i) }
        func intern(_ s: String) -> UInt16 {
            if let id = idOf[s] { return id }
            let id = UInt16(syllables.count)
            syllables.append(s)
            idOf[s] = id
            return id
        }

        let heteronyms = NameTables.pinyinHeteronyms()
        let overrides = NameTables.pinyinOverrides()
        let count = Int(Self.lastScalar - Self.firstScalar) + 1
        var start = [UInt32](repeating: 0, count: count + 1)
        var pool: [UInt16] = []
        pool.reserveCapacity(count + 12_000)
        for i in 0..<count {
            let scalar = Self.firstScalar + UInt32(i)
            start[i] = UInt32(pool.count)
            var list: [UInt16] = []
            if let o = overrides[scalar] {
                list.append(intern(o))
            } else if i < icuReadings.count, let r = icuReadings[i], !r.isEmpty {
                list.append(intern(r))
            }
            for h in heteronyms[scalar] ?? [] {
                let id = intern(h)
                if !list.contains(id) { list.append(id) }
            }
            pool.append(contentsOf: list)
        }
        start[count] = UInt32(pool.count)

        var surnameReadings: [UInt32: UInt16] = [:]
        for (c, r) in NameTables.surnameReadings() { surnameReadings[c] = intern(r) }
        var compound: [UInt64: (UInt16, UInt16)] = [:]
        for c in NameTables.compoundSurnames() {
            compound[UInt64(c.first) << 32 | UInt64(c.second)] = (intern(c.readings[0]), intern(c.readings[1]))
        }

        // Fuzzy syllables, interned in order of first appearance (ids follow the syllable order).
        var fuzzySyllables = [""]
        var fuzzyIdOf: [String: UInt16] = ["": 0]
        var fuzzyOf = [UInt16](repeating: 0, count: syllables.count)
        for (i, s) in syllables.enumerated() where i > 0 {
            let f = Self.fuzzy(s)
            if let id = fuzzyIdOf[f] {
                fuzzyOf[i] = id
            } else {
                let id = UInt16(fuzzySyllables.count)
                fuzzySyllables.append(f)
                fuzzyIdOf[f] = id
                fuzzyOf[i] = id
            }
        }

        self.syllables = syllables
        self.fuzzySyllables = fuzzySyllables
        self.fuzzyOf = fuzzyOf
        (self.syllableStart, self.syllableBytes) = Self.pack(syllables)
        (self.fuzzyStart, self.fuzzyBytes) = Self.pack(fuzzySyllables)
        self.readingStart = start
        self.readingPool = pool
        self.surnameReadings = surnameReadings
        self.compoundReadings = compound
    }

    /// The fuzzy form of a toneless syllable: initials zh→z, ch→c, sh→s, l→n, h→f;
    /// finals eng→en, ing→in, ang→an (so iang→ian, uang→uan).
    ///
    /// ```swift
    /// PinyinTable.fuzzy("cheng")   // "cen"   (陈 chen → "cen" too)
    /// PinyinTable.fuzzy("ling")    // "nin"
    /// PinyinTable.fuzzy("hu")      // "fu"
    /// ```
    public static func fuzzy(_ syllable: String) -> String {
        var s = Substring(syllable)
        var head = ""
        if s.hasPrefix("zh") { head = "z"; s = s.dropFirst(2) }
        else if s.hasPrefix("ch") { head = "c"; s = s.dropFirst(2) }
        else if s.hasPrefix("sh") { head = "s"; s = s.dropFirst(2) }
        else if s.hasPrefix("l") { head = "n"; s = s.dropFirst(1) }
        else if s.hasPrefix("h") && s.count > 1 { head = "f"; s = s.dropFirst(1) }
        if s.hasSuffix("eng") || s.hasSuffix("ing") || s.hasSuffix("ang") { s = s.dropLast(1) }
        return head + s
    }

    static func pack(_ strings: [String]) -> ([UInt32], [UInt8]) {
        var start: [UInt32] = []
        var bytes: [UInt8] = []
        start.reserveCapacity(strings.count + 1)
        for s in strings {
            start.append(UInt32(bytes.count))
            bytes.append(contentsOf: s.utf8)
        }
        start.append(UInt32(bytes.count))
        return (start, bytes)
    }

    /// Number of slices the ICU `Han-Latin` pass is cut into, so that it runs on all cores
    /// (the pass is made only to compare the embedded table with the machine's ICU).
    static let icuSlices = 4

    /// ICU `Han-Latin` over slice `slice` of `icuSlices` of the covered characters, one
    /// character per line, in one call; toneless, `ü` → `v`.
    static func icuReadings(slice: Int) throws(ICUError) -> [String?] {
        let t = try Transliterator("Han-Latin")
        let count = Int(lastScalar - firstScalar) + 1
        let lo = count * slice / icuSlices
        let hi = count * (slice + 1) / icuSlices
        var text = String.UnicodeScalarView()
        for i in lo..<hi {
            text.append(Unicode.Scalar(firstScalar + UInt32(i))!)
            text.append("\n")
        }
        let lines = t.apply(String(text)).split(separator: "\n", omittingEmptySubsequences: false)
        var result = [String?](repeating: nil, count: hi - lo)
        if lines.count >= hi - lo {
            for i in 0..<(hi - lo) { result[i] = toneless(lines[i]) }
        } else {
            // ICU merged lines (never seen): fall back to one call per character.
            for i in 0..<(hi - lo) {
                result[i] = toneless(Substring(t.apply(String(Unicode.Scalar(firstScalar + UInt32(lo + i))!))))
            }
        }
        return result
    }

    /// All slices, in parallel (each thread opens its own transliterator), concatenated: what
    /// the machine's ICU says, for comparing with ``embeddedReadings()``.
    package static func icuReadings() throws(ICUError) -> [String?] {
        let slices = Parallel.map(icuSlices) { k in Result { () throws(ICUError) in try icuReadings(slice: k) } }
        var all: [String?] = []
        for r in slices { all += try r.get() }
        return all
    }

    /// Lowercase ASCII toneless form of a `Han-Latin` reading, or `nil` if it has no Latin letter
    /// (the character was left untransliterated).
    static func toneless(_ reading: Substring) -> String? {
        var out = ""
        for s in reading.unicodeScalars {
            let v = s.value
            switch v {
            case 0x61...0x7A: out.unicodeScalars.append(s)
            case 0x41...0x5A: out.unicodeScalars.append(Unicode.Scalar(v + 0x20)!)
            case 0x300...0x36F, 0x20: continue
            default:
                if let base = toneBase[v] { out.unicodeScalars.append(base) } else { return nil }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// Toned or accented vowels that pinyin uses → their toneless letter (`ü` → `v`).
    static let toneBase: [UInt32: Unicode.Scalar] = {
        var m: [UInt32: Unicode.Scalar] = [:]
        let groups: [(String, Unicode.Scalar)] = [
            ("āáǎàÀÁÂÃÄÅĀĂĄâãäå", "a"), ("ēéěèêếềểễệÈÉÊË", "e"), ("īíǐìÌÍÎÏîï", "i"),
            ("ōóǒòÒÓÔÕÖôõö", "o"), ("ūúǔùÙÚÛûµ", "u"), ("üǖǘǚǜÜǕǗǙǛ", "v"),
            ("ńňǹñ", "n"), ("ḿ", "m"),
        ]
        for (chars, base) in groups { for c in chars.unicodeScalars { m[c.value] = base } }
        return m
    }()
}
