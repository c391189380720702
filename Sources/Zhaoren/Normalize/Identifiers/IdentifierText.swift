/// An identifier folded to ASCII bytes, with what the folding had to do. Internal helper shared
/// by ``ResidentID``, ``CreditCode`` and ``PhoneNumber``.
struct IdentifierText {
    /// Digits and uppercase letters (lowercase folded); ``invalidByte`` for anything else.
    var bytes: [UInt8] = []
    /// Full-width digits or letters were folded.
    var fullwidth = false
    /// Inner spaces or hyphens were dropped.
    var separators = false
    /// A leading tab, apostrophe or `="…"` wrapper was removed.
    var excelPrefix = false
    /// Some letter was lowercase.
    var lowercase = false
    /// The trimmed text looks like an Excel float (`1.10105E+17`).
    var scientific = false

    /// Marks a character that is neither a digit, a letter nor a separator.
    static let invalidByte: UInt8 = 0xFF

    /// Folds `text`: trims surrounding whitespace, removes Excel prefixes, folds full-width
    /// characters and lowercase letters, and drops inner spaces and hyphens.
    init(_ text: String) {
        var scalars = Substring(text).unicodeScalars[...]
        if let first = scalars.first, first == "\t" { excelPrefix = true }
        while let first = scalars.first, Self.isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, Self.isSpace(last) { scalars.removeLast() }
        if let first = scalars.first, first == "'" || first == "\u{2018}" || first == "\u{2019}" || first == "`" {
            excelPrefix = true
            scalars.removeFirst()
        } else if scalars.count >= 3, scalars.first == "=", scalars.dropFirst().first == "\"", scalars.last == "\"" {
            excelPrefix = true
            scalars = scalars.dropFirst(2).dropLast()
        }
        scientific = Self.looksScientific(scalars)
        bytes.reserveCapacity(scalars.count)
        for s in scalars {
            let v = s.value
            switch v {
            case 0x30...0x39, 0x41...0x5A: bytes.append(UInt8(v))
            case 0x61...0x7A: bytes.append(UInt8(v - 32)); lowercase = true
            case 0xFF10...0xFF19: bytes.append(UInt8(v - 0xFF10 + 0x30)); fullwidth = true
            case 0xFF21...0xFF3A: bytes.append(UInt8(v - 0xFF21 + 0x41)); fullwidth = true
            case 0xFF41...0xFF5A: bytes.append(UInt8(v - 0xFF41 + 0x41)); fullwidth = true; lowercase = true
            case 0x20, 0x09, 0xA0, 0x3000, 0x2D, 0x2010...0x2015, 0x2212, 0xFF0D, 0xFE63: separators = true
            default: bytes.append(Self.invalidByte)
            }
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xFEFF, 0x200B: return true
        default: return false
        }
    }

    /// `d.dddE+dd` as Excel prints large numbers (mantissa digits, an `E`, an exponent).
    static func looksScientific(_ scalars: Substring.UnicodeScalarView) -> Bool {
        var sawE = false, mantissaDigits = 0, exponentDigits = 0
        for s in scalars {
            switch s {
            case "0"..."9": if sawE { exponentDigits += 1 } else { mantissaDigits += 1 }
            case ".": if sawE { return false }
            case "E", "e": if sawE || mantissaDigits == 0 { return false }; sawE = true
            case "+": if !sawE || exponentDigits > 0 { return false }
            default: return false
            }
        }
        return sawE && exponentDigits > 0 && exponentDigits <= 2
    }
}
