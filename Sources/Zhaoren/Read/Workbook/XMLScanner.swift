/// A push tokenizer for the XML parts of a workbook: bytes go in as they are inflated, in
/// chunks of any size; start tags, end tags and text come out to a handler, as byte views that
/// are valid only during the call. Nothing is copied for the markup a reader does not keep, so
/// a million-row sheet costs one pass over its bytes.
///
/// It reads what spreadsheet writers produce (UTF-8, elements, attributes, character and the
/// five predefined entity references, CDATA, comments, processing instructions) and is strict
/// about the rest: a document type declaration, a tag left open at the end or a stray `<` is a
/// ``XMLScanner/Failure``. Namespace prefixes are dropped from names (`x:row` is `row`).
///
/// ```swift
/// var scanner = XMLScanner()
/// var handler = MyHandler()                 // conforms to XMLHandler
/// try scanner.feed(chunk, to: &handler)     // as many times as there are chunks
/// try scanner.finish()
/// ```
struct XMLScanner {
    /// Malformed markup, with the byte offset in the part where it was found.
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "malformed XML at byte \(offset): \(message)" }
    }

    private var pending: [UInt8] = []
    private var consumed = 0

    /// Scans `chunk`, handing every complete token to `handler`; an incomplete token at the end
    /// waits for the next chunk.
    mutating func feed<H: XMLHandler>(_ chunk: UnsafeRawBufferPointer, to handler: inout H) throws {
        pending.append(contentsOf: chunk)
        let used = try pending.withUnsafeBufferPointer { try Self.scan($0, base: consumed, handler: &handler) }
        if used > 0 {
            pending.removeFirst(used)
            consumed += used
        }
        if pending.count > 64 << 20 {
            throw Failure(offset: consumed, message: "a single tag or text of more than 64 MiB")
        }
    }

    /// Checks that nothing but whitespace is left unscanned.
    func finish() throws {
        if pending.contains(where: { !Self.isSpace($0) }) {
            throw Failure(offset: consumed, message: "the part ends inside a tag")
        }
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Scans complete tokens of `b`; returns how many bytes were used.
    private static func scan<H: XMLHandler>(_ b: UnsafeBufferPointer<UInt8>, base: Int, handler: inout H) throws -> Int {
        var i = 0
        let n = b.count
        while i < n {
            if b[i] != UInt8(ascii: "<") {
                // Text up to the next tag (it may continue in the next chunk: hand out what is complete).
                var j = i
                while j < n && b[j] != UInt8(ascii: "<") { j &+= 1 }
                if j == n {
                    // Keep a trailing partial entity reference for the next chunk.
                    var cut = j
                    if let amp = b[i..<j].lastIndex(of: UInt8(ascii: "&")), !b[amp..<j].contains(UInt8(ascii: ";")) { cut = amp }
                    if cut > i { try handler.text(UnsafeBufferPointer(rebasing: b[i..<cut])) }
                    return cut
                }
                try handler.text(UnsafeBufferPointer(rebasing: b[i..<j]))
                i = j
                continue
            }
            guard i &+ 1 < n else { return i }
            switch b[i &+ 1] {
            case UInt8(ascii: "/"):
                guard let close = find(UInt8(ascii: ">"), in: b, from: i &+ 2) else { return i }
                var nameEnd = i &+ 2
                while nameEnd < close && !isSpace(b[nameEnd]) { nameEnd &+= 1 }
                try handler.end(localName(UnsafeBufferPointer(rebasing: b[(i &+ 2)..<nameEnd])))
                i = close &+ 1
            case UInt8(ascii: "?"):
                guard let close = find(sequence: "?>", in: b, from: i &+ 2) else { return i }
                i = close &+ 2
            case UInt8(ascii: "!"):
                if startsWith(b, at: i, "<!--") {
                    guard let close = find(sequence: "-->", in: b, from: i &+ 4) else { return i }
                    i = close &+ 3
                } else if startsWith(b, at: i, "<![CDATA[") {
                    guard let close = find(sequence: "]]>", in: b, from: i &+ 9) else { return i }
                    try handler.cdata(UnsafeBufferPointer(rebasing: b[(i &+ 9)..<close]))
                    i = close &+ 3
                } else if n - i < 9 {
                    return i
                } else {
                    throw Failure(offset: base + i, message: "a document type declaration or unknown markup (<!…) is not allowed")
                }
            default:
                // A start tag: find its `>` outside attribute quotes.
                var j = i &+ 1
                var quote: UInt8 = 0
                while j < n {
                    let c = b[j]
                    if quote != 0 { if c == quote { quote = 0 } } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c } else if c == UInt8(ascii: ">") { break } else if c == UInt8(ascii: "<") {
                        throw Failure(offset: base + j, message: "'<' inside a tag")
                    }
                    j &+= 1
                }
                if j == n { return i }
                let empty = b[j &- 1] == UInt8(ascii: "/")
                let inner = UnsafeBufferPointer(rebasing: b[(i &+ 1)..<(empty ? j &- 1 : j)])
                var nameEnd = 0
                while nameEnd < inner.count && !isSpace(inner[nameEnd]) { nameEnd &+= 1 }
                guard nameEnd > 0 else { throw Failure(offset: base + i, message: "a tag without a name") }
                let name = localName(UnsafeBufferPointer(rebasing: inner[0..<nameEnd]))
                try handler.start(name, XMLAttributes(raw: UnsafeBufferPointer(rebasing: inner[nameEnd...])), empty: empty)
                if empty { try handler.end(name) }
                i = j &+ 1
            }
        }
        return i
    }

    @inline(__always)
    private static func localName(_ name: UnsafeBufferPointer<UInt8>) -> XMLName {
        if let colon = name.lastIndex(of: UInt8(ascii: ":")) { return XMLName(bytes: UnsafeBufferPointer(rebasing: name[(colon + 1)...])) }
        return XMLName(bytes: name)
    }

    @inline(__always)
    private static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var j = from
        while j < b.count { if b[j] == byte { return j }; j &+= 1 }
        return nil
    }

    private static func find(sequence: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let s = UnsafeBufferPointer(start: sequence.utf8Start, count: sequence.utf8CodeUnitCount)
        var j = from
        while j + s.count <= b.count {
            if b[j] == s[0] && startsWith(b, at: j, sequence) { return j }
            j &+= 1
        }
        return nil
    }

    private static func startsWith(_ b: UnsafeBufferPointer<UInt8>, at i: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<count where b[i + k] != p[k] { return false }
        return true
    }
}

/// What an ``XMLScanner`` hands out; every view is valid only during the call.
protocol XMLHandler {
    mutating func start(_ name: XMLName, _ attributes: XMLAttributes, empty: Bool) throws
    mutating func end(_ name: XMLName) throws
    /// Raw text between tags (entity references not yet replaced: see ``XMLText/append(_:to:)``).
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws
    /// The content of a CDATA section (literal).
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

extension XMLHandler {
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws { try text(bytes) }
}

/// An element's local name (namespace prefix dropped).
struct XMLName {
    let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always)
    func `is`(_ s: StaticString) -> Bool {
        guard bytes.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for k in 0..<bytes.count where bytes[k] != p[k] { return false }
        return true
    }
}

/// The attributes of a start tag, looked up by name on demand.
struct XMLAttributes {
    let raw: UnsafeBufferPointer<UInt8>

    /// The raw value (entity references not replaced) of the attribute whose local name is `name`.
    func raw(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var i = 0
        let n = raw.count
        while i < n {
            while i < n && XMLScanner.isSpace(raw[i]) { i += 1 }
            let nameStart = i
            while i < n && raw[i] != UInt8(ascii: "=") && !XMLScanner.isSpace(raw[i]) { i += 1 }
            var local = nameStart
            for k in nameStart..<i where raw[k] == UInt8(ascii: ":") { local = k + 1 }
            let key = XMLName(bytes: UnsafeBufferPointer(rebasing: raw[local..<i]))
            while i < n && (XMLScanner.isSpace(raw[i]) || raw[i] == UInt8(ascii: "=")) { i += 1 }
            guard i < n else { return nil }
            let quote = raw[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            let valueStart = i + 1
            var j = valueStart
            while j < n && raw[j] != quote { j += 1 }
            if key.is(name) { return UnsafeBufferPointer(rebasing: raw[valueStart..<j]) }
            i = j + 1
        }
        return nil
    }

    /// The value of attribute `name` as a string, entity references replaced.
    func string(_ name: StaticString) -> String? {
        guard let value = raw(name) else { return nil }
        var bytes: [UInt8] = []
        XMLText.append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of attribute `name` as a non-negative decimal integer.
    func int(_ name: StaticString) -> Int? {
        guard let value = raw(name), !value.isEmpty, value.count <= 18 else { return nil }
        var n = 0
        for b in value {
            guard b &- 48 <= 9 else { return nil }
            n = n * 10 + Int(b &- 48)
        }
        return n
    }
}

/// Text content: entity references replaced while appending.
enum XMLText {
    /// Appends `raw` to `out`, replacing `&lt; &gt; &amp; &quot; &apos;` and `&#N;`/`&#xH;`.
    /// An unknown reference is kept as written.
    static func append(_ raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard raw.contains(UInt8(ascii: "&")) else {
            out.append(contentsOf: raw)
            return
        }
        var i = 0
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "&"), let semi = raw[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 10 else {
                out.append(c)
                i += 1
                continue
            }
            let body = Array(raw[(i + 1)..<semi])
            var scalar: UInt32?
            switch body {
            case Array("lt".utf8): scalar = 0x3C
            case Array("gt".utf8): scalar = 0x3E
            case Array("amp".utf8): scalar = 0x26
            case Array("quot".utf8): scalar = 0x22
            case Array("apos".utf8): scalar = 0x27
            default:
                if body.first == UInt8(ascii: "#") {
                    let hex = body.count > 1 && (body[1] == UInt8(ascii: "x") || body[1] == UInt8(ascii: "X"))
                    scalar = UInt32(String(decoding: body.dropFirst(hex ? 2 : 1), as: UTF8.self), radix: hex ? 16 : 10)
                }
            }
            if let scalar, let u = Unicode.Scalar(scalar) {
                out.append(contentsOf: Array(String(Character(u)).utf8))
            } else {
                out.append(contentsOf: raw[i...semi])
            }
            i = semi + 1
        }
    }
}
