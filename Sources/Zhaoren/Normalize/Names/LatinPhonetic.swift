/// A Soundex-style phonetic key for one Latin-script name token, tolerant of the spelling
/// variants English names show: the first letter is coded like the rest (so Catherine and
/// Katherine, Philip and Filip share a key), a few silent or doubled spellings are folded
/// first (`kn`→n, `wr`→r, `ph`→f, `gh`, `ck`), and the key is that code plus the next three
/// consonant classes.
///
/// ```swift
/// LatinPhonetic.key("catherine")   // "2365"
/// LatinPhonetic.key("katherine")   // "2365"
/// LatinPhonetic.key("smyth") == LatinPhonetic.key("smith")   // true
/// ```
/// - Complexity: O(length) bytes, no allocation beyond the 4-byte result.
package enum LatinPhonetic {
    /// Soundex class of each lowercase ASCII letter ("0" for vowels, h, w, y).
    static let classes: [UInt8] = {
        var c = [UInt8](repeating: 0, count: 128)
        for (letters, code) in [("bfpv", 1), ("cgjkqsxz", 2), ("dt", 3), ("l", 4), ("mn", 5), ("r", 6)] {
            for b in letters.utf8 { c[Int(b)] = UInt8(code) }
        }
        return c
    }()

    /// The 4-character key of `token` (lowercase ASCII letters; others are skipped), or ""
    /// for a token with fewer than two letters (initials get no key).
    public static func key(_ token: some Collection<UInt8>) -> String {
        var letters: [UInt8] = []
        letters.reserveCapacity(token.count)
        for b in token {
            let l = b >= 65 && b <= 90 ? b | 0x20 : b
            if l >= 97 && l <= 122 { letters.append(l) }
        }
        guard letters.count >= 2 else { return "" }
        // Silent initial letters and common digraphs.
        if letters.count > 2 && (letters[0] == 107 || letters[0] == 103) && letters[1] == 110 { letters.removeFirst() }    // kn, gn
        if letters.count > 2 && letters[0] == 119 && letters[1] == 114 { letters.removeFirst() }                         // wr
        var out: [UInt8] = []
        var last: UInt8 = 255
        var i = 0
        while i < letters.count && out.count < 4 {
            let c = letters[i]
            let next: UInt8 = i + 1 < letters.count ? letters[i + 1] : 0
            var code = classes[Int(c)]
            if c == 112 && next == 104 { code = 1; i += 1 }                  // ph = f
            else if c == 103 && next == 104 { i += 2; last = 0; continue }   // gh silent
            if code == 0 {
                if out.isEmpty { out.append(48) }   // initial vowel
                if c != 104 && c != 119 { last = 0 }   // h, w do not separate equal codes
            } else if code != last {
                out.append(48 + code)
                last = code
            }
            i += 1
        }
        while out.count < 4 { out.append(48) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key of a token given as text.
    public static func key(_ token: String) -> String { key(Array(token.utf8)) }
}
