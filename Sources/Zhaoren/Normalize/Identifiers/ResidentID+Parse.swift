extension ResidentID {
    /// Parses and validates `input` as a resident ID, as of the date `asOf` (for the
    /// "not in the future" check). Never fails: problems are in ``issues``.
    ///
    /// ```swift
    /// ResidentID.parse("440524188001010014").isValid          // true (born 1880)
    /// ResidentID.parse("1.10105E+17").issues.codes            // ["excel_mangled"]
    /// ResidentID.parse("111111111111111").issues.codes        // ["legacy_15", "unknown_region"]
    /// ```
    /// - Complexity: O(n) in the input length plus an O(log 7,600) region lookup.
    public static func parse(_ input: String, asOf: CivilDate = .todayInChina()) -> ResidentID {
        var issues: Issues = []
        var bytes: [UInt8]
        var loweredX = false
        if isPlainASCII18(input) {
            bytes = Array(input.utf8)
            if bytes[17] == UInt8(ascii: "x") {
                bytes[17] = UInt8(ascii: "X")
                issues.insert(.lowercaseX)
            }
        } else {
            let text = IdentifierText(input)
            if text.scientific {
                return ResidentID(input: input, isValid: false, normalized: nil, birthDate: nil, sex: nil,
                                  regionCode: nil, issues: [.excelMangled])
            }
            bytes = text.bytes
            if text.fullwidth { issues.insert(.fullwidth) }
            if text.separators { issues.insert(.separators) }
            if text.excelPrefix { issues.insert(.excelPrefix) }
            loweredX = text.lowercase   // reported once the characters pass: only x can be valid
        }
        func invalid(_ more: Issues, date: CivilDate? = nil, sex: Sex? = nil, region: String? = nil) -> ResidentID {
            ResidentID(input: input, isValid: false, normalized: nil, birthDate: date, sex: sex,
                       regionCode: region, issues: issues.union(more))
        }
        guard bytes.count == 18 || bytes.count == 15 else {
            let x = UInt8(ascii: "X")
            let odd = bytes.contains { !($0 &- 48 <= 9 || $0 == x) }
            return invalid(odd ? [.badLength, .badCharacter] : .badLength)
        }
        let x = UInt8(ascii: "X")
        let last = bytes.count - 1
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b >= 48 && b <= 57 { continue }
            if b == x && i == last && bytes.count == 18 { continue }
            return invalid(.badCharacter)
        }
        if loweredX { issues.insert(.lowercaseX) }
        // 15 digits: RRRRRR YYMMDD SSS, century 19 (GB 11643-1989).
        if bytes.count == 15 {
            issues.insert(.legacy15)
            // Read as a truncated 18-digit number: digits 7–14 would be YYYYMMDD.
            func digits(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
            let y = digits(6..<10), m = digits(10..<12), d = digits(12..<14)
            if y >= 1900, let date = CivilDate(year: y, month: m, day: d), date <= asOf { issues.insert(.possiblyTruncated) }
            bytes.insert(contentsOf: [49, 57], at: 6)   // "19"
            bytes.append(CheckDigits.residentID(bytes[0..<17])!)
        }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        let year = number(6..<10), month = number(10..<12), day = number(12..<14)
        let sex: Sex = (bytes[16] - 48) % 2 == 1 ? .male : .female
        let foreign = bytes[0] == UInt8(ascii: "9") && !issues.contains(.legacy15)   // the 2023 format has 18 digits
        let regionCode = foreign ? nil : String(decoding: bytes[0..<6], as: UTF8.self)
        if foreign { issues.insert(.foreignPermanent) }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            return invalid(.badDate, sex: sex, region: regionCode)
        }
        if year < 1880 { return invalid(.tooOld, date: date, sex: sex, region: regionCode) }
        if date > asOf { return invalid(.futureDate, date: date, sex: sex, region: regionCode) }
        if CheckDigits.residentID(bytes[0..<17]) != bytes[17] {
            var errors: Issues = .badChecksum
            // Excel keeps 15 significant digits of a numeric cell: the last three become 0.
            if bytes[15] == 48 && bytes[16] == 48 && bytes[17] == 48 { errors.insert(.excelMangled) }
            return invalid(errors, date: date, sex: sex, region: regionCode)
        }
        if !foreign {
            switch RegionTable.shared.status(code: number(0..<6), year: year) {
            case .unknown: issues.insert(.unknownRegion)
            case .notInForce: issues.insert(.regionNotInForce)
            case .inForce: break
            }
        }
        return ResidentID(input: input, isValid: true, normalized: String(decoding: bytes, as: UTF8.self),
                          birthDate: date, sex: sex, regionCode: regionCode, issues: issues)
    }

    /// 17 ASCII digits then a digit or `X`/`x`: the common case, parsed without folding.
    private static func isPlainASCII18(_ input: String) -> Bool {
        input.utf8.withContiguousStorageIfAvailable { p -> Bool in
            guard p.count == 18 else { return false }
            for i in 0..<17 where p[i] &- 48 > 9 { return false }
            let c = p[17]
            return c &- 48 <= 9 || c == UInt8(ascii: "X") || c == UInt8(ascii: "x")
        } ?? false
    }
}
