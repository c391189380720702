import Foundation
import ZIPFoundation

/// An Excel workbook (`.xlsx`, Office Open XML) opened for reading: its sheets in tab order,
/// its shared strings and which cell styles are dates. Sheets are read row by row from the zip
/// (``SheetReader``), never loaded whole.
///
/// ```swift
/// let book = try Workbook(path: "低保花名册.xlsx")
/// print(book.sheets.map(\.name))                // ["低保", "说明"]
/// let sheet = try book.sheet(named: nil)        // the first sheet
/// ```
///
/// A legacy `.xls`, a WPS `.et` or a password-protected workbook (all OLE files) is refused with
/// the advice to save it as `.xlsx` without a password.
public final class Workbook {
    /// One sheet of the workbook.
    public struct Sheet: Hashable, Sendable {
        /// The tab's name.
        public var name: String
        /// Its position among the tabs (1-based, as `--sheet 2` names it).
        public var index: Int
        /// Whether the tab is hidden.
        public var hidden: Bool
        /// The part holding it (`xl/worksheets/sheet1.xml`).
        var part: String
    }

    /// The file.
    public let path: String
    /// The sheets, in tab order.
    public private(set) var sheets: [Sheet] = []
    /// Whether serial dates count from 1904 (old Mac workbooks) rather than 1900.
    public private(set) var date1904 = false

    let archive: Archive
    private var entries: [String: Entry] = [:]
    /// Shared strings, back to back: string `k` is `sharedBytes[sharedOffsets[k]..<sharedOffsets[k + 1]]`.
    private(set) var sharedBytes: [UInt8] = []
    private(set) var sharedOffsets: [Int] = [0]
    /// Per cell style (`s` attribute): whether its number format is a date or time.
    private(set) var dateStyles: [Bool] = []

    /// Opens `path` and reads the workbook's parts list, sheets, shared strings and styles.
    /// - Throws: `ZhaorenError(.malformedInput)` for a file that is not a readable workbook
    ///   (with the reason), `.io` for a file that cannot be opened.
    public init(path: String) throws(ZhaorenError) {
        self.path = path
        try Self.checkMagic(path)
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw ZhaorenError(.malformedInput, "not a readable .xlsx workbook (the zip directory cannot be read: \(error))", file: path)
        }
        for entry in archive where entry.type == .file {
            let key = entry.path.lowercased()
            if entries[key] == nil { entries[key] = entry }
        }
        try readStructure()
    }

    /// Whether the file at `path` starts like a zip (an `.xlsx` workbook).
    public static func looksLikeWorkbook(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return head.elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    private static func checkMagic(_ path: String) throws(ZhaorenError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ZhaorenError(.io, "cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ZhaorenError(.malformedInput, "this is a legacy .xls, a WPS .et or a password-protected workbook; open it and save it as .xlsx (Excel 工作簿, 无密码) — 请另存为 .xlsx（无密码）", file: path)
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw ZhaorenError(.malformedInput, "not an .xlsx workbook (it does not start like a zip file)", file: path)
        }
    }

    /// The sheet named `name`, or at position `name` (1-based), or the first sheet for `nil`.
    /// - Throws: `ZhaorenError(.invalidArgument)` listing the sheets when there is no such sheet.
    public func sheet(named name: String?) throws(ZhaorenError) -> Sheet {
        guard let first = sheets.first else {
            throw ZhaorenError(.malformedInput, "the workbook has no sheets", file: path)
        }
        guard let name, !name.isEmpty else { return first }
        if let s = sheets.first(where: { $0.name == name }) { return s }
        if let s = sheets.first(where: { $0.name.trimmingWhitespace() == name.trimmingWhitespace() }) { return s }
        if let n = Int(name), n >= 1, n <= sheets.count { return sheets[n - 1] }
        let list = sheets.map { "\($0.index) \"\($0.name)\"" + ($0.hidden ? " (hidden)" : "") }.joined(separator: ", ")
        throw ZhaorenError(.invalidArgument, "no sheet \"\(name)\"; the workbook has \(list)", file: path)
    }

    // MARK: Parts

    func entry(_ part: String) -> Entry? { entries[part.lowercased()] }

    /// Streams part `part` through `handler`, checking its CRC and its announced size.
    func scan<H: XMLHandler>(_ part: String, with handler: inout H, stop: (() -> Bool)? = nil) throws(ZhaorenError) {
        guard let entry = entry(part) else {
            throw ZhaorenError(.malformedInput, "the workbook lacks its part \(part)", file: path)
        }
        var scanner = XMLScanner()
        var seen: UInt64 = 0
        do {
            let crc = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                seen += UInt64(chunk.count)
                guard seen <= entry.uncompressedSize else { throw WorkbookFault("\(part) inflates to more bytes than its header announces") }
                if let stop, stop() { throw WorkbookStop() }
                try chunk.withUnsafeBytes { try scanner.feed($0, to: &handler) }
            }
            try scanner.finish()
            guard crc == entry.checksum else { throw WorkbookFault("\(part) is damaged (its checksum does not match)") }
        } catch is WorkbookStop {
            return
        } catch let fault as WorkbookFault {
            throw ZhaorenError(.malformedInput, fault.message, file: path)
        } catch let failure as XMLScanner.Failure {
            throw ZhaorenError(.malformedInput, "\(part): \(failure.description)", file: path)
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.malformedInput, "\(part) cannot be inflated: \(error)", file: path)
        }
    }

    /// Resolves a relationship target against the folder of the part holding it.
    static func resolve(_ target: String, from folder: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = folder.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    private func relationships(_ part: String) throws(ZhaorenError) -> [(id: String, type: String, target: String)] {
        let folder = (part as NSString).deletingLastPathComponent
        let name = (part as NSString).lastPathComponent
        let rels = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        guard entry(rels) != nil else { return [] }
        var handler = RelationshipsHandler()
        try scan(rels, with: &handler)
        return handler.items.map { ($0.id, $0.type, Self.resolve($0.target, from: folder)) }
    }

    private func readStructure() throws(ZhaorenError) {
        let root = try relationships("")
        guard let main = root.first(where: { $0.type.hasSuffix("/officeDocument") })?.target ?? (entry("xl/workbook.xml") != nil ? "xl/workbook.xml" : nil) else {
            throw ZhaorenError(.malformedInput, "not an .xlsx workbook (no workbook part; is it a .docx or another zip?)", file: path)
        }
        var book = WorkbookHandler()
        try scan(main, with: &book)
        date1904 = book.date1904
        let rels = try relationships(main)
        for (k, s) in book.sheets.enumerated() {
            guard let target = rels.first(where: { $0.id == s.relationship })?.target, entry(target) != nil else { continue }
            sheets.append(Sheet(name: s.name, index: k + 1, hidden: s.hidden, part: target))
        }
        if let shared = rels.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target, entry(shared) != nil {
            var handler = SharedStringsHandler()
            try scan(shared, with: &handler)
            sharedBytes = handler.bytes
            sharedOffsets = handler.offsets
        }
        if let styles = rels.first(where: { $0.type.hasSuffix("/styles") })?.target, entry(styles) != nil {
            var handler = StylesHandler()
            try scan(styles, with: &handler)
            dateStyles = handler.cellFormats.map { id in id.map { handler.isDate($0) } ?? false }
        }
    }

    /// The bytes of shared string `k` in ``sharedBytes``, or `nil` past the end.
    @inline(__always)
    func sharedRange(_ k: Int) -> Range<Int>? {
        guard k >= 0, k + 1 < sharedOffsets.count else { return nil }
        return sharedOffsets[k]..<sharedOffsets[k + 1]
    }

}

struct WorkbookFault: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

struct WorkbookStop: Error {}

// MARK: Part handlers

private struct RelationshipsHandler: XMLHandler {
    var items: [(id: String, type: String, target: String)] = []
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        guard name.is("Relationship"), let id = a.string("Id"), let target = a.string("Target") else { return }
        if a.string("TargetMode") == "External" { return }
        items.append((id, a.string("Type") ?? "", target))
    }
    mutating func end(_ name: XMLName) throws {}
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {}
}

private struct WorkbookHandler: XMLHandler {
    var sheets: [(name: String, relationship: String, hidden: Bool)] = []
    var date1904 = false
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if name.is("workbookPr") {
            let v = a.string("date1904")
            date1904 = v == "1" || v == "true"
        } else if name.is("sheet"), let n = a.string("name"), let id = a.string("id") {
            let state = a.string("state") ?? "visible"
            sheets.append((n, id, state != "visible"))
        }
    }
    mutating func end(_ name: XMLName) throws {}
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {}
}

/// `<si>` items: the concatenation of their `<t>`, runs included, phonetic runs (`<rPh>`) left out.
private struct SharedStringsHandler: XMLHandler {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    var inItem = false, inText = false, phonetic = 0
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if name.is("si") { inItem = true } else if name.is("rPh") { phonetic += 1 } else if name.is("t") && inItem && phonetic == 0 { inText = !empty }
    }
    mutating func end(_ name: XMLName) throws {
        if name.is("si") {
            inItem = false
            offsets.append(bytes.count)
        } else if name.is("rPh") {
            phonetic -= 1
        } else if name.is("t") {
            inText = false
        }
    }
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {
        if inText { XMLText.append(raw, to: &bytes) }
    }
}

/// Number formats (built in and custom) and the format of each cell style.
private struct StylesHandler: XMLHandler {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int?] = []
    var inCellXfs = false
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if name.is("numFmt"), let id = a.int("numFmtId"), let code = a.string("formatCode") {
            customFormats[id] = code
        } else if name.is("cellXfs") {
            inCellXfs = !empty
        } else if name.is("xf") && inCellXfs {
            cellFormats.append(a.int("numFmtId") ?? 0)
        }
    }
    mutating func end(_ name: XMLName) throws { if name.is("cellXfs") { inCellXfs = false } }
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {}

    func isDate(_ id: Int) -> Bool {
        if let code = customFormats[id] { return ExcelNumber.isDateFormat(code) }
        return ExcelNumber.builtInDateFormats.contains(id)
    }
}
