import Foundation
import ZhaorenSupport
import ZIPFoundation

/// Writes an Excel workbook (`.xlsx`) of printable lists: per sheet a title row merged across
/// the columns, a bold header, bordered body cells (blank ones too, for handwriting), the header
/// frozen, column widths, text cells stored as text (an 18-digit ID keeps every digit and Excel
/// shows no "number stored as text" mark), A4 landscape fitted to the page width with the title
/// and header repeated on every printed page and `第 N 页，共 M 页` in the footer.
///
/// ```swift
/// var sheet = WorkbookWriter.Sheet(name: "网格1", title: "三营村扩面人员明细表（2026年11月1日）",
///                                  header: ["序号", "姓名", "身份证号", "核实情况"])
/// sheet.rows = [[.number(1), .text("张伟"), .text("640402********1234"), .empty]]
/// sheet.widths = [6, 10, 22, 24]
/// try WorkbookWriter.write([sheet], to: URL(fileURLWithPath: "三营村.xlsx"))
/// ```
///
/// The file is written whole and renamed into place (see ``AtomicFile``); the same sheets give
/// the same bytes.
public enum WorkbookWriter {
    /// A cell's content.
    public enum Cell: Hashable, Sendable {
        /// Text, stored as text whatever it looks like.
        case text(String)
        /// A whole number.
        case number(Int)
        /// A number written as given (`1250.5`, `6.40422197411075E+17`): what a spreadsheet
        /// stores when a value was typed as a number.
        case numberText(String)
        /// A blank cell (still bordered in the body).
        case empty
    }

    /// One sheet.
    public struct Sheet: Hashable, Sendable {
        /// The tab's name (cut to 31 characters; `: \ / ? * [ ]` become `_`; made unique).
        public var name: String
        /// The title row above the header (merged across the columns); none when `nil`.
        public var title: String?
        /// A line between the title and the header (`填报单位：…`), left as it is; none when `nil`.
        public var subtitle: String? = nil
        /// The column names.
        public var header: [String]
        /// The body rows (a row shorter than the header is padded with blank cells).
        public var rows: [[Cell]] = []
        /// Column widths in characters (an ASCII digit is 1, a Chinese character about 2);
        /// missing ones are 12.
        public var widths: [Double] = []

        /// The row holding the column names: after the title and the subtitle.
        var headerRow: Int { 1 + (title == nil ? 0 : 1) + (subtitle == nil ? 0 : 1) }

        /// A sheet with a name, a title and a header.
        public init(name: String, title: String?, header: [String]) {
            self.name = name
            self.title = title
            self.header = header
        }
    }

    /// Writes `sheets` (at least one) to `url`.
    /// - Throws: `ZhaorenError(.io)` if the file cannot be written.
    public static func write(_ sheets: [Sheet], to url: URL) throws(ZhaorenError) {
        try AtomicFile.write(try data(sheets), to: url)
    }

    /// The workbook's bytes.
    public static func data(_ sheets: [Sheet]) throws(ZhaorenError) -> Data {
        let sheets = sheets.isEmpty ? [Sheet(name: "Sheet1", title: nil, header: [])] : sheets
        let names = sheetNames(sheets.map(\.name))
        var parts: [(String, Data)] = []
        parts.append(("[Content_Types].xml", contentTypes(count: sheets.count)))
        parts.append(("_rels/.rels", xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)))
        parts.append(("xl/workbook.xml", workbook(names, headerRows: sheets.map(\.headerRow))))
        parts.append(("xl/_rels/workbook.xml.rels", workbookRelationships(count: sheets.count)))
        parts.append(("xl/styles.xml", styles))
        for (k, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(k + 1).xml", worksheet(sheet, selected: k == 0)))
        }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            let stamp = Date(timeIntervalSince1970: 1_262_304_000)   // fixed (2010-01-01): same sheets, same bytes
            for (path, bytes) in parts {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp,
                                     compressionMethod: .deflate, bufferSize: 1 << 16) { position, size in
                    bytes.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw WorkbookFault("the zip archive has no data") }
            return data
        } catch {
            throw ZhaorenError(.io, "cannot build the workbook: \(error)")
        }
    }

    // MARK: Parts

    private static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static func xml(_ body: String) -> Data { Data((header + body).utf8) }

    /// Valid, unique tab names.
    static func sheetNames(_ wanted: [String]) -> [String] {
        var used = Set<String>()
        return wanted.map { name in
            var clean = String(name.map { ":\\/?*[]".contains($0) ? "_" : $0 })
            clean = clean.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            if clean.isEmpty || clean.lowercased() == "history" { clean = "Sheet" }
            clean = String(clean.prefix(31))
            var candidate = clean, n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = "(\(n))"
                candidate = String(clean.prefix(31 - suffix.count)) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    private static func contentTypes(count: Int) -> Data {
        var s = """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            """
        for k in 1...count {
            s += "<Override PartName=\"/xl/worksheets/sheet\(k).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml(s + "</Types>")
    }

    private static func workbook(_ names: [String], headerRows: [Int]) -> Data {
        var s = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        s += "<workbookPr/><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (k, name) in names.enumerated() { s += "<sheet name=\"\(escape(name))\" sheetId=\"\(k + 1)\" r:id=\"rId\(k + 1)\"/>" }
        s += "</sheets><definedNames>"
        for (k, name) in names.enumerated() {
            let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            s += "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(k)\">\(escape(quoted))!$1:$\(headerRows[k])</definedName>"
        }
        return xml(s + "</definedNames></workbook>")
    }

    private static func workbookRelationships(count: Int) -> Data {
        var s = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for k in 1...count {
            s += "<Relationship Id=\"rId\(k)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(k).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return xml(s + "</Relationships>")
    }

    /// Styles: 0 default, 1 title, 2 header (bold, bordered, text), 3 body text (bordered, text),
    /// 4 body number (bordered, centred).
    private static let styles = xml("""
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="3"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        <font><b/><sz val="16"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>\
        <xf numFmtId="49" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf></cellXfs>\
        <cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """)

    /// `A`, `B` … `Z`, `AA` … for a 0-based column.
    static func columnName(_ c: Int) -> String {
        var n = c + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    private static func worksheet(_ sheet: Sheet, selected: Bool) -> Data {
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0, 1)
        let last = columnName(columns - 1)
        let headerRow = sheet.headerRow
        let lastRow = headerRow + sheet.rows.count
        var s = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        s += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1:\(last)\(lastRow)\"/>"
        s += "<sheetViews><sheetView\(selected ? " tabSelected=\"1\"" : "") workbookViewId=\"0\">"
        s += "<pane ySplit=\"\(headerRow)\" topLeftCell=\"A\(headerRow + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        s += "<selection pane=\"bottomLeft\" activeCell=\"A\(headerRow + 1)\" sqref=\"A\(headerRow + 1)\"/></sheetView></sheetViews>"
        s += "<sheetFormatPr defaultRowHeight=\"14.25\"/><cols>"
        for c in 0..<columns {
            let width = c < sheet.widths.count ? sheet.widths[c] : 12
            s += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(String(format: "%.1f", width))\" customWidth=\"1\"/>"
        }
        s += "</cols><sheetData>"
        if let title = sheet.title {
            s += "<row r=\"1\" ht=\"30\" customHeight=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>\(escape(title))</t></is></c></row>"
        }
        if let subtitle = sheet.subtitle {
            let r = headerRow - 1
            s += "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"inlineStr\"><is><t>\(escape(subtitle))</t></is></c></row>"
        }
        s += "<row r=\"\(headerRow)\" ht=\"24\" customHeight=\"1\">"
        for c in 0..<columns {
            let name = c < sheet.header.count ? sheet.header[c] : ""
            s += "<c r=\"\(columnName(c))\(headerRow)\" s=\"2\" t=\"inlineStr\"><is><t>\(escape(name))</t></is></c>"
        }
        s += "</row>"
        var bytes = Array((header + s).utf8)
        bytes.reserveCapacity(bytes.count + sheet.rows.count * columns * 48)
        let columnNames = (0..<columns).map { Array(columnName($0).utf8) }
        for (k, row) in sheet.rows.enumerated() {
            let r = headerRow + 1 + k
            Self.put("<row r=\"", &bytes); Self.put(r, &bytes); Self.put("\" ht=\"28\" customHeight=\"1\">", &bytes)
            for c in 0..<columns {
                Self.put("<c r=\"", &bytes); bytes += columnNames[c]; Self.put(r, &bytes)
                switch c < row.count ? row[c] : .empty {
                case .text(let text) where !text.isEmpty:
                    let space = text.first!.isWhitespace || text.last!.isWhitespace
                    Self.put(space ? "\" s=\"3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" : "\" s=\"3\" t=\"inlineStr\"><is><t>", &bytes)
                    Self.putEscaped(text.utf8.count > 32_767 ? String(text.prefix(32_767)) : text, &bytes)
                    Self.put("</t></is></c>", &bytes)
                case .number(let n):
                    Self.put("\" s=\"4\"><v>", &bytes); Self.put(n, &bytes); Self.put("</v></c>", &bytes)
                case .numberText(let text) where !text.isEmpty:
                    Self.put("\" s=\"4\"><v>", &bytes); Self.putEscaped(text, &bytes); Self.put("</v></c>", &bytes)
                default:
                    Self.put("\" s=\"3\"/>", &bytes)
                }
            }
            Self.put("</row>", &bytes)
        }
        s = ""
        s += "</sheetData>"
        if sheet.title != nil && columns > 1 { s += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(last)1\"/></mergeCells>" }
        s += "<printOptions horizontalCentered=\"1\"/>"
        s += "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        s += "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        s += "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
        if !sheet.rows.isEmpty {
            s += "<ignoredErrors><ignoredError sqref=\"A\(headerRow + 1):\(last)\(lastRow)\" numberStoredAsText=\"1\"/></ignoredErrors>"
        }
        bytes += (s + "</worksheet>").utf8
        return Data(bytes)
    }

    @inline(__always)
    private static func put(_ text: StaticString, _ bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private static func put(_ n: Int, _ bytes: inout [UInt8]) {
        bytes += String(n).utf8   // a small string: no allocation
    }

    /// Appends `text` escaped (see ``escape(_:)``); text without markup characters, control
    /// characters or a 0xEF byte (the lead byte of U+FFFE and U+FFFF) is copied as it is.
    private static func putEscaped(_ text: String, _ bytes: inout [UInt8]) {
        let clean = text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "\"") && $0 != 0xEF }
        if clean { bytes += text.utf8 } else { bytes += escape(text).utf8 }
    }

    /// Escapes `& < > "` and drops characters XML 1.0 does not allow.
    static func escape(_ text: String) -> String {
        MarkupText.escape(text, apostrophe: false, control: nil)
    }
}
