import ZhaorenICU
/// The library side of `zhaoren check`: decodes a list of values (one per line) and turns each
/// into a CSV row with the parse result.
///
/// ```swift
/// let out = try IdentifierCheck.csv(.residentID, bytes: Array("11010519491231002x\n".utf8))
/// // input,valid,normalized,birth_date,sex,region_code,issues
/// // 11010519491231002x,true,11010519491231002X,1949-12-31,F,110105,lowercase_x
/// ```
package enum IdentifierCheck {
    /// The CSV header for `kind`.
    public static func header(_ kind: IdentifierKind) -> String {
        switch kind {
        case .residentID: return "input,valid,normalized,birth_date,sex,region_code,issues"
        case .creditCode: return "input,valid,normalized,org_code,issues"
        case .phone: return "input,valid,normalized,kind,issues"
        }
    }

    /// The CSV row (no line break) for one value.
    public static func row(_ kind: IdentifierKind, _ value: String, asOf: CivilDate = .todayInChina()) -> String {
        var fields: [String]
        switch kind {
        case .residentID:
            let id = ResidentID.parse(value, asOf: asOf)
            fields = [value, String(id.isValid), id.normalized ?? "", id.birthDate?.description ?? "",
                      id.sex?.code ?? "", id.regionCode ?? "", id.issues.codes.joined(separator: ";")]
        case .creditCode:
            let code = CreditCode.parse(value)
            fields = [value, String(code.isValid), code.normalized ?? "", code.orgCode ?? "",
                      code.issues.codes.joined(separator: ";")]
        case .phone:
            let phone = PhoneNumber.parse(value)
            fields = [value, String(phone.isValid), phone.normalized ?? "", phone.kind.rawValue,
                      phone.issues.codes.joined(separator: ";")]
        }
        return fields.map(quoted).joined(separator: ",")
    }

    /// The whole CSV (header and one row per input line, in order, `\n` line ends) for `bytes`.
    /// - Throws: ``ZhaorenError`` `.decoding` when the bytes are neither UTF-8 nor GB18030.
    public static func csv(_ kind: IdentifierKind, bytes: [UInt8], file: String? = nil,
                           asOf: CivilDate = .todayInChina()) throws(ZhaorenError) -> String {
        var out = header(kind) + "\n"
        for line in try lines(bytes, file: file) {
            out += row(kind, line, asOf: asOf)
            out += "\n"
        }
        return out
    }

    /// Splits bytes into lines: strips a UTF-8 BOM, decodes UTF-8 or else GB18030 (strict),
    /// accepts LF, CRLF or CR line ends, and drops the empty piece after a final line end.
    /// - Throws: ``ZhaorenError`` `.decoding` with the first line that is neither encoding.
    public static func lines(_ bytes: [UInt8], file: String? = nil) throws(ZhaorenError) -> [String] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let text: String
        if let utf8 = String(validating: body, as: UTF8.self) {
            text = utf8
        } else {
            let converter: CharsetConverter
            do { converter = try CharsetConverter("GB18030") } catch {
                throw ZhaorenError(.icu, error.message, file: file)
            }
            guard let decoded = converter.decode(Array(body)) else {
                var lineNumber = 1
                for piece in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
                    if String(validating: piece, as: UTF8.self) == nil && converter.decode(Array(piece)) == nil { break }
                    lineNumber += 1
                }
                throw ZhaorenError(.decoding, "the input is neither UTF-8 nor GB18030", file: file, line: lineNumber)
            }
            text = decoded
        }
        // Split on scalars: "\r\n" is a single Character, so String.split on "\n" would miss it.
        let scalars = text.unicodeScalars
        let separator: Unicode.Scalar = scalars.contains("\n") || !scalars.contains("\r") ? "\n" : "\r"
        var result = scalars.split(separator: separator, omittingEmptySubsequences: false).map { line -> String in
            String(line.last == "\r" ? line.dropLast() : line)
        }
        if result.last == "" { result.removeLast() }
        return result
    }

    /// A CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return field }
        var out = "\""
        for c in field.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }
}
