extension CreditCode {
    /// Parses and validates `input`. Never fails: problems are in ``issues``.
    ///
    /// ```swift
    /// CreditCode.parse("91350211M00013FA1N").issues.codes   // ["pilot_code"]
    /// CreditCode.parse("350100M000100Y4").issues.codes      // ["legacy_taxpayer_id"]
    /// ```
    /// - Complexity: O(n) in the input length.
    public static func parse(_ input: String) -> CreditCode {
        let text = IdentifierText(input)
        let bytes = text.bytes
        var issues: Issues = []
        if text.fullwidth { issues.insert(.fullwidth) }
        if text.separators { issues.insert(.separators) }
        if text.excelPrefix { issues.insert(.excelPrefix) }
        if text.lowercase { issues.insert(.lowercase) }
        func result(_ more: Issues, org: ArraySlice<UInt8>? = nil, region: ArraySlice<UInt8>? = nil) -> CreditCode {
            let all = issues.union(more)
            let valid = all.isDisjoint(with: .errors)
            return CreditCode(input: input, isValid: valid,
                              normalized: valid ? String(decoding: bytes, as: UTF8.self) : nil,
                              orgCode: org.map { String(decoding: $0, as: UTF8.self) },
                              regionCode: region.map { String(decoding: $0, as: UTF8.self) },
                              issues: all)
        }
        switch bytes.count {
        case 18:
            guard bytes.allSatisfy({ CheckDigits.creditCodeValue($0) != nil }) else { return result(.badCharacter) }
            let org = bytes[8..<17], region = bytes[2..<8]
            let orgPasses = CheckDigits.organizationCode(org.prefix(8)) == org.last
            let outerPasses = CheckDigits.creditCode(bytes[0..<17]) == bytes[17]
            var more: Issues = []
            if !orgPasses { more.insert(.badOrgChecksum) }
            if !outerPasses {
                // Early Fujian pilot codes (region 35xxxx) predate the national check; keep them.
                more.insert(orgPasses && bytes[2] == UInt8(ascii: "3") && bytes[3] == UInt8(ascii: "5") ? .pilotCode : .badChecksum)
            }
            return result(more, org: org, region: region)
        case 15:
            let region = bytes[0..<6], org = bytes[6..<15]
            guard region.allSatisfy({ $0 &- 48 <= 9 }),
                  org.allSatisfy({ $0 &- 48 <= 9 || ($0 >= 65 && $0 <= 90) }) else { return result(.badCharacter) }
            let orgPasses = CheckDigits.organizationCode(org.prefix(8)) == org.last
            return result(orgPasses ? .legacyTaxpayerID : [.legacyTaxpayerID, .badOrgChecksum], org: org, region: region)
        default:
            if bytes.contains(IdentifierText.invalidByte) { return result([.badLength, .badCharacter]) }
            return result(.badLength)
        }
    }
}
