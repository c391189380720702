/// The one builder of CSV text in the package: records appended as UTF-8 bytes to a growing
/// buffer, fields quoted as RFC 4180 needs (a comma, a quote, CR or LF inside: the field is
/// quoted and its quotes doubled), numbers formatted without a `String`. Every CSV file the
/// package writes is built by it, through the engine's `CSVWriter` or in parallel chunks that
/// are appended to one.
///
/// ```swift
/// var row = CSVRow()
/// row.field("张伟"); row.field("a,b"); row.int(7, width: 3); row.fixed(-0.5, decimals: 2)
/// row.endRecord()
/// String(decoding: row.bytes, as: UTF8.self)      // 张伟,"a,b",007,-0.50\n
/// ```
///
/// Text fields that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or CR, and not a plain number) get a leading `'` when ``neutralizesFormulas`` is on.
public struct CSVRow: Sendable {
    /// The bytes built so far; hand them to a writer and clear them now and then.
    @usableFromInline package var bytes: [UInt8] = []
    /// Whether the next field is the first of its record.
    @usableFromInline package var atRecordStart = true
    /// Prefix text fields that a spreadsheet would evaluate with `'` (see the type's notes).
    @usableFromInline package var neutralizesFormulas: Bool

    /// An empty builder with room for `capacity` bytes.
    package init(capacity: Int = 1 << 16, neutralizesFormulas: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.neutralizesFormulas = neutralizesFormulas
    }

    /// The number of bytes built.
    package var count: Int { bytes.count }

    /// Drops the bytes built (keeping the capacity); the next field starts a record.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        atRecordStart = true
    }

    /// Starts a field: the comma before it unless it is the first of its record. For fields
    /// built in pieces with ``appendRaw(_:)`` and ``appendDigits(_:width:)``.
    @inlinable
    package mutating func beginField() {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
    }

    /// Appends bytes to the current field as they are (no quoting).
    @inlinable
    package mutating func appendRaw(_ raw: some Collection<UInt8>) { bytes.append(contentsOf: raw) }

    /// Appends text to the current field as it is (no quoting).
    @inlinable
    package mutating func appendRaw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Appends the decimal digits of `value` to the current field, zero-padded to `width`.
    @inlinable
    package mutating func appendDigits(_ value: Int, width: Int = 1) { Self.appendDigits(value, width: width, to: &bytes) }

    // MARK: Whole fields

    /// A text field, quoted when needed.
    package mutating func field(_ text: String) {
        var text = text
        text.withUTF8 { field(bytes: $0) }
    }

    /// A text field from UTF-8 bytes, quoted when needed.
    /// - Complexity: O(length): one scan for bytes that need quoting, then a copy.
    @inlinable
    package mutating func field(bytes field: UnsafeBufferPointer<UInt8>) {
        beginField()
        Self.appendField(field, neutralizing: neutralizesFormulas, to: &bytes)
    }

    /// A text field from UTF-8 bytes, quoted when needed.
    package mutating func field(bytes field: [UInt8]) {
        field.withUnsafeBufferPointer { self.field(bytes: $0) }
    }

    /// A field known to need no quoting (numbers, codes, header names).
    @inlinable
    package mutating func plain(_ text: String) {
        beginField()
        bytes.append(contentsOf: text.utf8)
    }

    /// A field from bytes known to need no quoting.
    @inlinable
    package mutating func plain(bytes raw: some Collection<UInt8>) {
        beginField()
        bytes.append(contentsOf: raw)
    }

    /// An empty field.
    @inlinable
    package mutating func empty() { beginField() }

    /// A whole number, zero-padded to `width` digits.
    @inlinable
    package mutating func int(_ value: Int, width: Int = 1) {
        beginField()
        Self.appendDigits(value, width: width, to: &bytes)
    }

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero
    /// (`inf`, `-inf`, `nan` for non-finite values).
    @inlinable
    package mutating func fixed(_ value: Double, decimals: Int) {
        beginField()
        Self.appendFixed(value, decimals: decimals, to: &bytes)
    }

    /// `value` rounded to `places` decimals without trailing zeros (`0.9877`, `1`, `0.5`);
    /// empty for NaN or infinity.
    package mutating func decimal(_ value: Double, places: Int) {
        beginField()
        guard value.isFinite, places >= 0, places <= 9 else { return }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(0x2D) }
        Self.appendDigits(scaled / scale, to: &bytes)
        var fraction = scaled % scale
        guard fraction != 0 else { return }
        var width = places
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(0x2E)
        Self.appendDigits(fraction, width: width, to: &bytes)
    }

    /// A field made of `count` parts joined by `separator`, each part written by `part`
    /// straight into the bytes; quoted as a whole if any byte needs it.
    ///
    /// ```swift
    /// row.joined(2, separator: 0x3B) { i, bytes in bytes += Array(["a", "b"][i].utf8) }   // a;b
    /// ```
    package mutating func joined(_ count: Int, separator: UInt8, _ part: (Int, inout [UInt8]) -> Void) {
        beginField()
        let start = bytes.count
        for i in 0..<count {
            if i > 0 { bytes.append(separator) }
            part(i, &bytes)
        }
        var needsQuotes = false
        for j in start..<bytes.count where Self.needsQuotes(bytes[j]) {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return }
        let content = Array(bytes[start...])
        bytes.removeSubrange(start...)
        content.withUnsafeBufferPointer { Self.appendField($0, neutralizing: false, to: &bytes) }
    }

    /// Fields already encoded as CSV (`count` of them, joined by commas): cached cells written
    /// without quoting them again.
    @inlinable
    package mutating func encoded(_ cells: UnsafeBufferPointer<UInt8>, fields count: Int) {
        guard count > 0 else { return }
        beginField()
        bytes.append(contentsOf: cells)
    }

    /// A whole record of text fields.
    package mutating func record(_ fields: [String]) {
        for f in fields { field(f) }
        endRecord()
    }

    /// Ends the record with LF.
    @inlinable
    package mutating func endRecord() {
        bytes.append(0x0A)
        atRecordStart = true
    }

    // MARK: Encoding without a builder

    /// Whether a byte forces quotes: comma, quote, CR, LF.
    @inlinable @inline(__always)
    package static func needsQuotes(_ b: UInt8) -> Bool {
        b <= 0x2C && (b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D)
    }

    /// Appends a field's bytes to `out`, quoted when needed, with a `'` in front of a formula
    /// when `neutralizing`.
    @inlinable
    package static func appendField(_ field: UnsafeBufferPointer<UInt8>, neutralizing: Bool, to out: inout [UInt8]) {
        let prefix = neutralizing && isFormula(field)
        var quote = false
        for b in field where needsQuotes(b) {
            quote = true
            break
        }
        if !quote {
            if prefix { out.append(0x27) }
            out.append(contentsOf: field)
            return
        }
        out.append(0x22)
        if prefix { out.append(0x27) }
        for b in field {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    /// Whether a spreadsheet would take the text for a formula: it starts with `=`, `+`, `-`,
    /// `@`, a tab or CR, and is not a plain number such as `-3.5` or `+8613812345678`.
    @inlinable
    package static func isFormula(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return false }
        switch first {
        case 0x3D, 0x40, 0x09, 0x0D: return true
        case 0x2B, 0x2D:
            guard field.count > 1 else { return false }
            var digits = 0, points = 0
            for b in field.dropFirst() {
                if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2E { points += 1 } else { return true }
            }
            return digits == 0 || points > 1
        default: return false
        }
    }

    /// `text` as one CSV field (quoted when needed), for small files built as strings.
    ///
    /// ```swift
    /// CSVRow.quoted(#"王"伟"#)   // "\"王\"\"伟\""
    /// ```
    package static func quoted(_ text: String, neutralizing: Bool = true) -> String {
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { appendField($0, neutralizing: neutralizing, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decimal digits of `value` (a `-` first if negative), zero-padded to `width`.
    @inlinable
    package static func appendDigits(_ value: Int, width: Int = 1, to out: inout [UInt8]) {
        append(to: &out, atMost: max(width, 20) + 1) { $0.digits(value, width: width) }
    }

    /// Appends `value` with exactly `decimals` digits after the point; see ``fixed(_:decimals:)``.
    @inlinable
    package static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        append(to: &out, atMost: 24 + max(decimals, 0)) { $0.fixed(value, decimals: decimals) }
    }

    /// Appends to `out` what `body` writes through a ``Cursor`` (at most `capacity` bytes, on
    /// the stack): the builder's numbers are formatted by the cursor's code, the one there is.
    @inlinable
    static func append(to out: inout [UInt8], atMost capacity: Int, _ body: (inout Cursor) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let start = buffer.baseAddress!
            var cursor = Cursor(at: start, end: start + capacity)
            body(&cursor)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: cursor.position - start))
        }
    }
}

extension CSVRow {
    /// Builds the bytes of many records at once, written through a ``Cursor`` straight into
    /// memory reserved for `capacity` bytes: the writers' loops over millions of records of
    /// numbers and preformatted cells (no field there needs quoting) skip the growth and
    /// uniqueness checks of appending to an array field by field. Writing past `capacity`
    /// stops the process (a wrong bound is a programming error, never a user's).
    ///
    /// ```swift
    /// let bytes = CSVRow.formatted(capacity: 64) { c in
    ///     c.digits(7); c.comma(); c.fixed(-0.5, decimals: 2); c.newline()
    /// }
    /// String(decoding: bytes, as: UTF8.self)   // 7,-0.50\n
    /// ```
    package static func formatted(capacity: Int, _ body: (inout Cursor) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, count in
            let start = buffer.baseAddress!
            var cursor = Cursor(at: start, end: start + max(capacity, 1))
            body(&cursor)
            count = cursor.position - start
        }
    }

    /// Writes bytes of records into memory set aside by ``CSVRow/formatted(capacity:_:)``: plain
    /// cells (already quoted as needed), separators, and numbers formatted as ``CSVRow/int(_:width:)``
    /// and ``CSVRow/fixed(_:decimals:)`` format them.
    ///
    /// ```swift
    /// let cells: [UInt8] = Array("police".utf8)
    /// let bytes = CSVRow.formatted(capacity: 32) { c in
    ///     cells.withUnsafeBufferPointer { c.plain($0) }; c.comma(); c.digits(12); c.newline()
    /// }   // police,12\n
    /// ```
    @usableFromInline package struct Cursor {
        /// Where the next byte goes.
        @usableFromInline package private(set) var position: UnsafeMutablePointer<UInt8>
        @usableFromInline let end: UnsafeMutablePointer<UInt8>

        @usableFromInline init(at start: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
            position = start
            self.end = end
        }

        /// Makes room for `count` more bytes or stops the process.
        @inlinable @inline(__always)
        mutating func room(_ count: Int) {
            precondition(end - position >= count, "CSVRow.Cursor: the reserved capacity is too small")
        }

        /// One byte.
        @inlinable @inline(__always)
        package mutating func byte(_ b: UInt8) {
            room(1)
            position.pointee = b
            position += 1
        }

        /// The field separator `,`.
        @inlinable @inline(__always)
        package mutating func comma() { byte(0x2C) }

        /// The record end `\n`.
        @inlinable @inline(__always)
        package mutating func newline() { byte(0x0A) }

        /// `raw` as it is (a preformatted, already quoted cell).
        @inlinable @inline(__always)
        package mutating func plain(_ raw: UnsafeBufferPointer<UInt8>) {
            room(raw.count)
            guard let base = raw.baseAddress else { return }
            position.update(from: base, count: raw.count)
            position += raw.count
        }

        /// The decimal digits of `value` (a `-` first if negative), zero-padded to `width`.
        @inlinable
        package mutating func digits(_ value: Int, width: Int = 1) {
            if value < 0 { byte(0x2D) }
            var v = value.magnitude
            var count = 1
            var probe = v / 10
            while probe > 0 { count += 1; probe /= 10 }
            let total = max(count, width)
            room(total)
            var at = position + total
            repeat {
                at -= 1
                at.pointee = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            } while v > 0
            while at > position {
                at -= 1
                at.pointee = 0x30
            }
            position += total
        }

        /// `value` with exactly `decimals` digits after the point, as ``CSVRow/fixed(_:decimals:)``.
        @inlinable
        package mutating func fixed(_ value: Double, decimals: Int) {
            guard value.isFinite else {
                for b in (value > 0 ? "inf" : value < 0 ? "-inf" : "nan").utf8 { byte(b) }
                return
            }
            var scale = 1
            for _ in 0..<decimals { scale *= 10 }
            let scaled = Int((abs(value) * Double(scale)).rounded())
            if value < 0 && scaled != 0 { byte(0x2D) }
            digits(scaled / scale)
            if decimals > 0 {
                byte(0x2E)
                digits(scaled % scale, width: decimals)
            }
        }
    }
}
