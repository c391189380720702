import ZhaorenSupport

/// FEBRL-style corruptions of ASCII text: keyboard-near typos (substitution, insertion,
/// deletion, adjacent transposition), OCR confusions and phonetic respellings.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// EnglishNoise.typo(Array("smith".utf8), &rng)   // e.g. "smirh"
/// ```
enum EnglishNoise {
    /// QWERTY neighbours of each lowercase letter and digit, by byte.
    static let neighbours: [[UInt8]] = {
        let rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"].map { Array($0.utf8) }
        var out = [[UInt8]](repeating: [], count: 128)
        for (r, row) in rows.enumerated() {
            for (i, c) in row.enumerated() {
                var near: [UInt8] = []
                if i > 0 { near.append(row[i - 1]) }
                if i + 1 < row.count { near.append(row[i + 1]) }
                for dr in [-1, 1] where r + dr >= 0 && r + dr < rows.count {
                    let other = rows[r + dr]
                    for j in [i - 1, i, i + 1] where j >= 0 && j < other.count && abs(j - i) <= (dr < 0 ? 1 : 1) { near.append(other[j]) }
                }
                out[Int(c)] = near
            }
        }
        return out
    }()

    /// OCR confusions, applied left to right.
    static let ocr: [([UInt8], [UInt8])] = [
        ("m", "rn"), ("rn", "m"), ("cl", "d"), ("d", "cl"), ("i", "l"), ("l", "i"), ("u", "v"), ("v", "u"),
        ("h", "b"), ("b", "h"), ("e", "c"), ("c", "e"), ("g", "q"), ("o", "a"), ("a", "o"), ("n", "h"),
        ("vv", "w"), ("w", "vv"), ("li", "h"), ("ri", "n"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// Phonetic respellings (as FEBRL's phonetic corruption rules do).
    static let phonetic: [([UInt8], [UInt8])] = [
        ("ph", "f"), ("f", "ph"), ("ck", "k"), ("k", "ck"), ("ie", "y"), ("ee", "ea"), ("ea", "ee"),
        ("ou", "ow"), ("ow", "ou"), ("th", "t"), ("c", "k"), ("k", "c"), ("z", "s"), ("s", "z"),
        ("ll", "l"), ("l", "ll"), ("tt", "t"), ("t", "tt"), ("nn", "n"), ("n", "nn"), ("mm", "m"),
        ("ss", "s"), ("i", "y"), ("y", "i"), ("ae", "e"), ("gh", ""), ("wr", "r"), ("kn", "n"),
        ("sch", "sh"), ("sh", "sch"), ("x", "ks"), ("qu", "kw"), ("ei", "ie"), ("ie", "ei"),
        ("son", "sen"), ("sen", "son"), ("er", "or"), ("ey", "y"), ("y", "ey"), ("dt", "t"), ("c", "s"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// One keyboard typo: a neighbouring key (40 %), an inserted neighbour (20 %), a deleted
    /// character (20 %) or two adjacent characters swapped (20 %). Case is kept.
    static func typo(_ s: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        guard !s.isEmpty else { return s }
        var out = s
        let i = rng.below(s.count)
        let lower = s[i] | (s[i] >= 65 && s[i] <= 90 ? 0x20 : 0)
        let near = lower < 128 ? neighbours[Int(lower)] : []
        let upper = s[i] >= 65 && s[i] <= 90
        func cased(_ c: UInt8) -> UInt8 { upper && c >= 97 && c <= 122 ? c - 0x20 : c }
        let u = rng.unit()
        if u < 0.4 && !near.isEmpty {
            out[i] = cased(near[rng.below(near.count)])
        } else if u < 0.6 && !near.isEmpty {
            out.insert(lower == s[i] ? near[rng.below(near.count)] : cased(near[rng.below(near.count)]), at: i + (rng.chance(0.5) ? 1 : 0))
        } else if u < 0.8 && s.count > 2 {
            out.remove(at: i)
        } else if s.count >= 2 {
            let j = min(i, s.count - 2)
            out.swapAt(j, j + 1)
        } else if !near.isEmpty {
            out[i] = cased(near[rng.below(near.count)])
        }
        return out
    }

    /// One rule from `rules` applied at a random place where it matches (case-insensitive
    /// match, lowercase replacement; an initial capital is kept); `nil` when none matches.
    static func rewrite(_ s: [UInt8], _ rules: [([UInt8], [UInt8])], _ rng: inout SeededGenerator) -> [UInt8]? {
        let lower = s.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var hits: [(Int, Int)] = []
        for (r, rule) in rules.enumerated() where rule.0.count <= lower.count {
            for i in 0...(lower.count - rule.0.count) where lower[i..<(i + rule.0.count)].elementsEqual(rule.0) {
                hits.append((r, i))
            }
        }
        guard !hits.isEmpty else { return nil }
        let (r, i) = hits[rng.below(hits.count)]
        var out = Array(s[..<i]) + rules[r].1 + Array(s[(i + rules[r].0.count)...])
        guard !out.isEmpty else { return nil }
        if let first = s.first, first >= 65 && first <= 90, out[0] >= 97 && out[0] <= 122 { out[0] -= 0x20 }
        return out
    }

    /// A digit string with one digit replaced (never by itself).
    static func digitTypo(_ s: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        let positions = s.indices.filter { s[$0] >= 48 && s[$0] <= 57 }
        guard let i = positions.isEmpty ? nil : positions[rng.below(positions.count)] else { return s }
        var out = s
        let d = Int(s[i] - 48)
        out[i] = UInt8(48 + (d + 1 + rng.below(9)) % 10)
        return out
    }

    /// A digit string with two adjacent (different) digits swapped, or one digit replaced.
    static func digitTransposition(_ s: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        let positions = s.indices.dropLast().filter { s[$0] >= 48 && s[$0] <= 57 && s[$0 + 1] >= 48 && s[$0 + 1] <= 57 && s[$0] != s[$0 + 1] }
        guard !positions.isEmpty else { return digitTypo(s, &rng) }
        var out = s
        let i = positions[rng.below(positions.count)]
        out.swapAt(i, i + 1)
        return out
    }
}
