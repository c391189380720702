import Foundation

extension NameNormalizer {
    /// Normalizes one name.
    ///
    /// ```swift
    /// names.normalize("李昇").folded          // "李昇" (a name exception, not 升)
    /// names.normalize("　张　伟　").folded     // "张伟"
    /// names.normalize("José Núñez").tokens    // ["jose", "nunez"]
    /// ```
    /// - Complexity: O(n) table lookups in the length of `value`; no ICU call.
    public func normalize(_ value: String) -> PersonName {
        var scratch = NameScratch()
        return normalize(value, scratch: &scratch)
    }

    func normalize(_ value: String, scratch s: inout NameScratch) -> PersonName {
        s.scalars.removeAll(keepingCapacity: true)
        s.classes.removeAll(keepingCapacity: true)
        var flags: PersonName.Flags = []

        var source = value
        for u in value.unicodeScalars where !Self.isNFKCStable(u.value) {
            let f = value.precomposedStringWithCompatibilityMapping
            if f != value { flags.insert(.widthFolded) }
            source = f
            break
        }

        // Pass 1: classify and fold each scalar.
        var hanCount = 0
        var letterCount = 0
        for u in source.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                switch v {
                case 0x61...0x7A: append(v, .letter, &s); letterCount += 1
                case 0x41...0x5A: append(v + 0x20, .letter, &s); letterCount += 1
                case 0x30...0x39: append(v, .digit, &s)
                case 0x09...0x0D, 0x20: append(v, .space, &s)
                case 0x2E: append(v, .dot, &s)
                case 0x27, 0x60: append(v, .apostrophe, &s)
                case 0x2D: append(v, .hyphen, &s)
                case 0x2C: append(v, .comma, &s)
                default: append(v, .other, &s)
                }
                continue
            }
            if PinyinTable.covers(v) {
                let t = simplified[Int(v - PinyinTable.firstScalar)]
                if t != v { flags.insert(.simplified) }
                append(t, .han, &s)
                hanCount += 1
                continue
            }
            if Self.isDot(v) { append(v, .dot, &s); continue }
            if Self.isSpace(v) { append(v, .space, &s); continue }
            switch v {
            case 0x2018, 0x2019, 0x02BC, 0x02B9, 0xFF07: append(v, .apostrophe, &s); continue
            case 0x2010...0x2015, 0x2212, 0xFE63, 0xFF0D: append(v, .hyphen, &s); continue
            case 0xFF0C, 0x3001: append(v, .comma, &s); continue
            case 0x3007, 0x20000...0x323AF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
                // Extension B+ and the compatibility ideographs NFKC leaves (U+FA0E 﨎 …).
                append(v, .han, &s); hanCount += 1; flags.insert(.unreadable); continue
            case 0xE000...0xF8FF, 0xF0000...0x10FFFF:
                append(v, .han, &s); hanCount += 1; flags.formUnion([.privateUse, .unreadable]); continue
            default: break
            }
            if v < Self.latinFoldEnd {
                let i = Int(v - Self.latinFoldStart)
                if latinFolds[i] {
                    flags.insert(.asciiFolded)
                    for j in Int(latinStart[i])..<Int(latinStart[i + 1]) {
                        let b = UInt32(latinBytes[j])
                        if b >= 0x30 && b <= 0x39 { append(b, .digit, &s) } else { append(b, .letter, &s); letterCount += 1 }
                    }
                    continue
                }
            }
            append(v, .other, &s)
        }

        if hanCount > 0 {
            return hanName(value, hasLatin: letterCount > 0, flags: flags, &s)
        }
        return latinName(value, flags: flags, &s)
    }

    @inline(__always)
    private func append(_ v: UInt32, _ c: NameCharClass, _ s: inout NameScratch) {
        s.scalars.append(v)
        s.classes.append(c)
    }

    /// Han and mixed names.
    private func hanName(_ original: String, hasLatin: Bool, flags f: PersonName.Flags,
                         _ s: inout NameScratch) -> PersonName {
        var flags = f
        s.folded.removeAll(keepingCapacity: true)
        var pendingDot = false
        var firstDot = -1          // index in `folded` of the first dot
        var unitCount = 0
        for i in 0..<s.scalars.count {
            let v = s.scalars[i]
            switch s.classes[i] {
            case .space:
                flags.insert(.whitespaceRemoved)
            case .dot:
                if v != 0xB7 { flags.insert(.separatorFixed) }
                if unitCount == 0 || pendingDot { flags.insert(.separatorFixed) }
                pendingDot = unitCount > 0
            case .han, .letter, .digit:
                if pendingDot {
                    if firstDot < 0 { firstDot = s.folded.count }
                    s.folded.append(0xB7)
                    pendingDot = false
                }
                s.folded.append(v)
                unitCount += 1
            case .apostrophe, .hyphen, .comma, .other:
                if pendingDot {
                    if firstDot < 0 { firstDot = s.folded.count }
                    s.folded.append(0xB7)
                    pendingDot = false
                }
                flags.insert(.otherCharacters)
                s.folded.append(v)
                unitCount += 1
            }
        }
        if pendingDot { flags.insert(.separatorFixed) }

        var units: [UInt32] = []
        units.reserveCapacity(unitCount)
        for v in s.folded where v != 0xB7 { units.append(v) }

        // Surname split.
        var surnameLength = 0
        var compound = false
        let firstIsHan = !units.isEmpty && Self.isHanUnit(units[0])
        let surname: String
        let given: String
        if firstDot >= 0 {
            flags.insert(.separated)
            given = Self.string(s.folded[0..<firstDot], &s.bytes)
            surname = Self.string(s.folded[(firstDot + 1)...], &s.bytes)
            surnameLength = s.folded[(firstDot + 1)...].reduce(0) { $0 + ($1 == 0xB7 ? 0 : 1) }
        } else if firstIsHan && units.count >= 2 {
            if units.count >= 3 && isCompoundSurname(units[0], units[1]) {
                surnameLength = 2
                compound = true
                flags.insert(.compoundSurname)
            } else {
                surnameLength = 1
            }
            surname = Self.string(units[0..<surnameLength], &s.bytes)
            given = Self.string(units[surnameLength...], &s.bytes)
        } else {
            surname = ""
            given = Self.string(units[...], &s.bytes)
        }

        // Pinyin.
        s.pinyin.removeAll(keepingCapacity: true)
        s.fuzzy.removeAll(keepingCapacity: true)
        var syllables = [UInt16](repeating: 0, count: units.count)
        let compoundReading = compound ? pinyin.compoundReading(units[0], units[1]) : nil
        let useSurnameReading = firstDot < 0 && surnameLength > 0
        // Given-name units: after the surname, or before the first dot in dotted names.
        let givenRange = firstDot >= 0 ? 0..<(units.count - surnameLength) : surnameLength..<units.count
        var givenPinyinBytes = 0..<0, givenFuzzyBytes = 0..<0
        for (i, u) in units.enumerated() {
            if i == givenRange.lowerBound {
                givenPinyinBytes = s.pinyin.count..<s.pinyin.count
                givenFuzzyBytes = s.fuzzy.count..<s.fuzzy.count
            }
            defer {
                if i + 1 == givenRange.upperBound {
                    givenPinyinBytes = givenPinyinBytes.lowerBound..<s.pinyin.count
                    givenFuzzyBytes = givenFuzzyBytes.lowerBound..<s.fuzzy.count
                }
            }
            var id: UInt16
            if let c = compoundReading, i < 2 {
                id = i == 0 ? c.0 : c.1
            } else if i == 0 && useSurnameReading {
                id = pinyin.surnameReading(u)
            } else {
                id = pinyin.primary(u)
            }
            if id == 0, PinyinTable.covers(u) { flags.insert(.unreadable) }
            syllables[i] = id
            if id != 0 {
                appendSyllable(id, &s.pinyin, &s.fuzzy)
            } else {
                Self.appendUTF8(u, &s.pinyin)
                Self.appendUTF8(u, &s.fuzzy)
            }
        }

        let folded = Self.string(s.folded[...], &s.bytes)
        let pinyinString = String(decoding: s.pinyin, as: UTF8.self)
        let fuzzyString = String(decoding: s.fuzzy, as: UTF8.self)
        let empty = units.isEmpty
        return PersonName(
            original: original, folded: folded,
            script: empty ? .empty : (hasLatin ? .mixed : .han),
            surname: surname, givenName: given, surnameLength: surnameLength, flags: flags,
            units: units, syllables: syllables,
            pinyin: pinyinString, fuzzyPinyin: fuzzyString,
            pinyinKey: empty ? 0 : NameHash.fnv1a(s.pinyin),
            fuzzyKey: empty ? 0 : NameHash.fnv1a(s.fuzzy),
            givenPinyinKey: givenPinyinBytes.isEmpty ? 0 : NameHash.fnv1a(s.pinyin[givenPinyinBytes]),
            givenFuzzyKey: givenFuzzyBytes.isEmpty ? 0 : NameHash.fnv1a(s.fuzzy[givenFuzzyBytes]),
            tokens: [], sortedTokens: folded)
    }

    /// Latin-script (and empty) names: lowercase ASCII tokens.
    private func latinName(_ original: String, flags f: PersonName.Flags, _ s: inout NameScratch) -> PersonName {
        var flags = f
        var tokens: [String] = []
        var commaAfter = -1      // number of tokens before the first comma
        s.bytes.removeAll(keepingCapacity: true)
        var spaceRun = 0
        func flush(_ s: inout NameScratch) {
            if !s.bytes.isEmpty {
                tokens.append(String(decoding: s.bytes, as: UTF8.self))
                s.bytes.removeAll(keepingCapacity: true)
            }
        }
        for i in 0..<s.scalars.count {
            let v = s.scalars[i]
            let c = s.classes[i]
            if c == .space {
                spaceRun += 1
                if spaceRun > 1 || tokens.isEmpty && s.bytes.isEmpty { flags.insert(.whitespaceRemoved) }
            } else {
                spaceRun = 0
            }
            switch c {
            case .letter, .digit: s.bytes.append(UInt8(truncatingIfNeeded: v))
            case .apostrophe: continue
            case .comma:
                flush(&s)
                if commaAfter < 0 && !tokens.isEmpty { commaAfter = tokens.count }
            case .other:
                flags.insert(.otherCharacters)
                flush(&s)
            case .space, .dot, .hyphen, .han:
                flush(&s)
            }
        }
        flush(&s)
        if spaceRun > 0 { flags.insert(.whitespaceRemoved) }

        let folded = tokens.joined(separator: " ")
        let sorted = tokens.sorted().joined(separator: " ")
        let joined = tokens.joined()
        var surname = ""
        var given = ""
        if commaAfter > 0 && commaAfter < tokens.count {
            surname = tokens[..<commaAfter].joined(separator: " ")
            given = tokens[commaAfter...].joined(separator: " ")
        } else if tokens.count >= 2 {
            surname = tokens[tokens.count - 1]
            given = tokens[..<(tokens.count - 1)].joined(separator: " ")
        } else if tokens.count == 1 {
            given = tokens[0]
        }
        let empty = tokens.isEmpty
        let key = empty ? 0 : NameHash.fnv1a(joined)
        return PersonName(
            original: original, folded: folded, script: empty ? .empty : .latin,
            surname: surname, givenName: given,
            surnameLength: surname.isEmpty ? 0 : (commaAfter > 0 ? commaAfter : 1),
            flags: flags, units: [], syllables: [],
            pinyin: joined, fuzzyPinyin: joined, pinyinKey: key, fuzzyKey: key,
            givenPinyinKey: given.isEmpty ? 0 : NameHash.fnv1a(given.utf8.filter { $0 != 0x20 }),
            givenFuzzyKey: given.isEmpty ? 0 : NameHash.fnv1a(given.utf8.filter { $0 != 0x20 }),
            tokens: tokens, sortedTokens: sorted)
    }

    @inline(__always)
    private func appendSyllable(_ id: UInt16, _ pin: inout [UInt8], _ fuz: inout [UInt8]) {
        let p = pinyin
        let i = Int(id)
        if i + 1 < p.syllableStart.count {
            for j in Int(p.syllableStart[i])..<Int(p.syllableStart[i + 1]) { pin.append(p.syllableBytes[j]) }
        }
        let f = Int(p.fuzzyID(id))
        if f + 1 < p.fuzzyStart.count {
            for j in Int(p.fuzzyStart[f])..<Int(p.fuzzyStart[f + 1]) { fuz.append(p.fuzzyBytes[j]) }
        }
    }

    /// Scalars that NFKC leaves alone (or that the fold handles itself), so NFKC can be skipped.
    @inline(__always)
    static func isNFKCStable(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E, 0x09...0x0D, 0xB7, 0xC0...0xFF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0x20000...0x2A6DF, 0x2A700...0x2F7FF, 0x30000...0x323AF, 0xE000...0xF8FF, 0x3000, 0x30FB:
            return true
        default:
            return isDot(v) && v != 0x0387 && v != 0xFF0E && v != 0xFE52 && v != 0xFF65 && v != 0x2024 && v != 0xFF61
        }
    }

    /// Dot-like name separators, all folded to U+00B7.
    @inline(__always)
    static func isDot(_ v: UInt32) -> Bool {
        switch v {
        case 0x2E, 0xB7, 0x0387, 0x16EB, 0x2022, 0x2024, 0x2027, 0x2219, 0x22C5, 0x2E31, 0x2E30, 0x3002,
             0x30FB, 0x318D, 0xA78F, 0xFE52, 0xFF0E, 0xFF61, 0xFF65:
            return true
        default:
            return false
        }
    }

    /// Whitespace, including U+3000 and zero-width characters.
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x2000...0x200D, 0x2028, 0x2029, 0x202F,
             0x205F, 0x2060, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isHanUnit(_ v: UInt32) -> Bool {
        switch v {
        case 0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0x20000...0x323AF, 0xF900...0xFAFF, 0x2F800...0x2FA1F,
             0xE000...0xF8FF, 0xF0000...0x10FFFF:
            return true
        default: return false
        }
    }

    @inline(__always)
    static func appendUTF8(_ v: UInt32, _ out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    static func string(_ scalars: ArraySlice<UInt32>, _ buffer: inout [UInt8]) -> String {
        buffer.removeAll(keepingCapacity: true)
        for v in scalars { appendUTF8(v, &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }
}
