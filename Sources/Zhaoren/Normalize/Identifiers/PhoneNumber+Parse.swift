extension PhoneNumber {
    /// Parses and validates `input`. Never fails: problems are in ``issues``.
    ///
    /// ```swift
    /// PhoneNumber.parse("0086 13800138000").normalized   // "13800138000"
    /// PhoneNumber.parse("020-9999999").issues.codes      // ["bad_length", "separators"]
    /// PhoneNumber.parse("400-810-8888").kind             // .service
    /// ```
    /// - Complexity: O(n) in the input length.
    public static func parse(_ input: String) -> PhoneNumber {
        var issues: Issues = []
        let folded = fold(input, issues: &issues)
        // Split off an explicit extension (转, 分机, ext, x, #).
        var main = folded[...]
        var ext: [UInt8] = []
        if let e = folded.firstIndex(of: Marker.ext) {
            main = folded[..<e]
            for b in folded[(e + 1)...] {
                if b &- 48 <= 9 { ext.append(b) } else if !Marker.isSeparator(b) { issues.insert(.badCharacter) }
            }
            issues.insert(.hasExtension)
            if ext.isEmpty || ext.count > 6 { issues.insert(.badCharacter) }
        }
        // Digit groups between separators; remember whether each group followed a hyphen.
        var groups: [[UInt8]] = []
        var afterHyphen: [Bool] = []
        var plus = false
        var current: [UInt8] = []
        var lastSeparator: UInt8 = 0
        var sawSeparator = false
        for b in main {
            if b &- 48 <= 9 { current.append(b); continue }
            if !current.isEmpty {
                groups.append(current); afterHyphen.append(lastSeparator == UInt8(ascii: "-")); current = []
            }
            if b == UInt8(ascii: "+") && groups.isEmpty { plus = true; continue }
            if Marker.isSeparator(b) { sawSeparator = true; lastSeparator = b; continue }
            issues.insert(.badCharacter)
        }
        if !current.isEmpty { groups.append(current); afterHyphen.append(lastSeparator == UInt8(ascii: "-")) }
        // Country prefix: +86, 0086, (+86), or a bare 86 group / 86 before an 11-digit mobile.
        var country = false
        if var first = groups.first {
            if plus && first.starts(with: [56, 54]) || first.starts(with: [48, 48, 56, 54]) {
                first.removeFirst(plus ? 2 : 4)
                country = true
            } else if first == [56, 54] && groups.count > 1 {
                first = []
                country = true
            } else if first.count == 13 && first.starts(with: [56, 54, 49]) {
                first.removeFirst(2)
                country = true
            } else if plus {
                return PhoneNumber(input: input, isValid: false, normalized: nil, kind: .unknown,
                                   extensionNumber: nil, issues: issues.union(.unrecognized))
            }
            if country {
                issues.insert(.countryCode)
                if first.isEmpty { groups.removeFirst(); afterHyphen.removeFirst() } else { groups[0] = first }
                // "+86 (0)10 …": the bracketed trunk 0 is dropped, as libphonenumber does.
                if groups.first == [48] { groups.removeFirst(); afterHyphen.removeFirst() }
            }
        }
        if sawSeparator { issues.insert(.separators) }
        var digits = groups.flatMap { $0 }
        let looksMobile = digits.count == 11 && digits.first == 49 && digits[1] >= 51
        if country, let f = digits.first, f != 48, !looksMobile,
           !(digits.count == 10 && (digits.starts(with: [52, 48, 48]) || digits.starts(with: [56, 48, 48]))) {
            digits.insert(48, at: 0)   // international landline format omits the trunk 0
        }
        // A trailing "-8001" group on a landline that is otherwise complete is an extension.
        if ext.isEmpty, groups.count >= 2, afterHyphen.last == true, let last = groups.last, last.count <= 6,
           digits.first == 48, landlineSplit(digits) == nil {
            let shorter = Array(digits.dropLast(last.count))
            if landlineSplit(shorter) != nil {
                ext = last
                digits = shorter
                issues.insert(.hasExtension)
            }
        }
        let extensionNumber = ext.isEmpty ? nil : String(decoding: ext, as: UTF8.self)
        func make(_ kind: Kind, _ more: Issues, _ normalized: String?) -> PhoneNumber {
            let all = issues.union(more)
            let valid = all.isDisjoint(with: .errors)
            return PhoneNumber(input: input, isValid: valid, normalized: valid ? normalized : nil, kind: kind,
                               extensionNumber: extensionNumber, issues: all)
        }
        let text = String(decoding: digits, as: UTF8.self)
        guard let first = digits.first else { return make(.unknown, .badLength, nil) }
        switch first {
        case 49:   // 1: mobile
            guard digits.count >= 2, digits[1] >= 51 else { return make(.unknown, .unrecognized, nil) }
            guard digits.count == 11 else { return make(.mobile, .badLength, nil) }
            return make(.mobile, isAssignedMobile(digits) ? [] : .unassignedBlock, text)
        case 48:   // 0: landline
            guard digits.count >= 3, digits[1] != 48 else { return make(.unknown, .unrecognized, nil) }
            if digits[1] == 49 && digits[2] != 48 { return make(.unknown, .unrecognized, nil) }
            guard let (areaLength, _) = landlineShape(digits), digits.count > areaLength else { return make(.landline, .badLength, nil) }
            let subscriber = digits[areaLength...]
            guard let s = subscriber.first, s >= 50 else { return make(.landline, .badSubscriber, nil) }
            guard landlineSplit(digits) != nil else { return make(.landline, .badLength, nil) }
            let area = String(decoding: digits[..<areaLength], as: UTF8.self)
            return make(.landline, [], area + "-" + String(decoding: subscriber, as: UTF8.self))
        default:
            if digits.count == 10 && (digits.starts(with: [52, 48, 48]) || digits.starts(with: [56, 48, 48])) {
                return make(.service, [], text)
            }
            if (7...8).contains(digits.count) && first >= 50 { return make(.landline, .missingAreaCode, nil) }
            return make(.unknown, .unrecognized, nil)
        }
    }

    /// The area-code length (with the trunk 0) and allowed subscriber lengths of a landline.
    private static func landlineShape(_ d: [UInt8]) -> (Int, ClosedRange<Int>)? {
        guard d.count >= 3, d[0] == 48 else { return nil }
        switch d[1] {
        case 49 where d[2] == 48, 50: return (3, 8...8)       // 010, 02x: 8-digit subscribers
        case 51...57: return (4, 7...8)                       // 03xx–09xx: 7 or 8
        default: return nil
        }
    }

    /// Area length if `d` is a complete landline (right subscriber length), else `nil`.
    private static func landlineSplit(_ d: [UInt8]) -> Int? {
        guard let (area, lengths) = landlineShape(d), lengths.contains(d.count - area) else { return nil }
        return area
    }

    /// libphonenumber's CN mobile pattern
    /// `1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}`.
    static func isAssignedMobile(_ d: [UInt8]) -> Bool {
        guard d.count == 11, d[0] == 49 else { return false }
        let a = d[1] &- 48, b = d[2] &- 48, c = d[3] &- 48
        switch a {
        case 3, 8: return true
        case 4: return b == 5 || b == 7
        case 5, 9: return b != 4
        case 6: return b == 2 || (5...7).contains(b) || (b == 1 && c == 0)
        case 7: return (0...3).contains(b) || (5...8).contains(b) || (b == 4 && c == 0 && d[4] &- 48 <= 5)
        default: return false
        }
    }

    /// Byte markers used after folding.
    private enum Marker {
        static let ext: UInt8 = UInt8(ascii: "E")
        static let bad: UInt8 = UInt8(ascii: "?")
        static func isSeparator(_ b: UInt8) -> Bool {
            b == 32 || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "(") || b == UInt8(ascii: ")")
        }
    }

    /// Folds to ASCII digits, `+`, separators (space - . ( )), `E` for an extension marker and `?`.
    private static func fold(_ input: String, issues: inout Issues) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.utf8.count)
        let scalars = Array(input.unicodeScalars)
        var i = 0
        func lower(_ k: Int) -> UInt32 { k < scalars.count ? scalars[k].value | 0x20 : 0 }
        while i < scalars.count {
            let v = scalars[i].value
            switch v {
            case 0x30...0x39: out.append(UInt8(v))
            case 0xFF10...0xFF19: out.append(UInt8(v - 0xFF10 + 0x30)); issues.insert(.fullwidth)
            case 0x2B: out.append(UInt8(ascii: "+"))
            case 0xFF0B: out.append(UInt8(ascii: "+")); issues.insert(.fullwidth)
            case 0x20, 0x09, 0xA0, 0x2D, 0x2E, 0x28, 0x29, 0x2010...0x2015, 0x2212:
                out.append(v == 0x28 || v == 0x29 || v == 0x2E ? UInt8(v) : (v == 0x20 || v == 0x09 || v == 0xA0 ? 32 : 45))
            case 0x3000: out.append(32); issues.insert(.fullwidth)
            case 0xFF0D: out.append(45); issues.insert(.fullwidth)
            case 0xFF0E: out.append(46); issues.insert(.fullwidth)
            case 0xFF08: out.append(40); issues.insert(.fullwidth)
            case 0xFF09: out.append(41); issues.insert(.fullwidth)
            case 0x8F6C: out.append(Marker.ext)                                  // 转
            case 0x5206 where i + 1 < scalars.count && scalars[i + 1] == "\u{673A}":   // 分机
                out.append(Marker.ext); i += 1
                if i + 1 < scalars.count && scalars[i + 1] == "\u{53F7}" { i += 1 }   // 分机号
            case 0x23, 0xFF03: out.append(Marker.ext)                            // #
            case 0x45, 0x65:                                                     // ext, EXT, ext.
                if lower(i + 1) == 0x78 && lower(i + 2) == 0x74 {
                    out.append(Marker.ext); i += 2
                    if i + 1 < scalars.count && scalars[i + 1] == "." { i += 1 }
                } else {
                    out.append(Marker.bad)
                }
            case 0x78, 0x58: out.append(Marker.ext)                              // x8001
            case 0x3A, 0xFF1A: out.append(32)                                     // "ext: 8001"
            default: out.append(Marker.bad)
            }
            i += 1
        }
        return out
    }
}
