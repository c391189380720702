import ZhaorenICU
/// Renders the bytes of a rejected row as readable text, best effort: what decodes in the
/// file's encoding is shown as characters, every other byte as `\xNN`.
///
/// ```swift
/// RawText.render([0x41, 0xFF, 0x42], encoding: .utf8, converter: nil)   // "A\\xFFB"
/// ```
package enum RawText {
    /// Rows longer than this many bytes are cut and end with `…`.
    public static let limit = 64 * 1024

    /// Renders `bytes` decoded as `encoding` (`.gb18030` needs `converter`).
    public static func render(_ bytes: UnsafeBufferPointer<UInt8>, encoding: InputEncoding,
                              converter: CharsetConverter?) -> String {
        let cut = bytes.count > limit
        let bytes = cut ? UnsafeBufferPointer(rebasing: bytes[0..<limit]) : bytes
        var out = ""
        if encoding == .gb18030, let converter {
            if let whole = converter.decode(bytes) { out = whole } else { out = renderGB18030(bytes, converter) }
        } else {
            out = renderUTF8(bytes)
        }
        return cut ? out + "…" : out
    }

    /// Renders an array of bytes; see ``render(_:encoding:converter:)``.
    public static func render(_ bytes: [UInt8], encoding: InputEncoding, converter: CharsetConverter?) -> String {
        bytes.withUnsafeBufferPointer { render($0, encoding: encoding, converter: converter) }
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    private static func renderUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = ""
        var start = 0
        while start < bytes.count {
            let rest = UnsafeBufferPointer(rebasing: bytes[start...])
            guard let failure = UTF8Validation.firstError(in: rest) else {
                out += String(decoding: rest, as: UTF8.self)
                break
            }
            out += String(decoding: UnsafeBufferPointer(rebasing: rest[0..<failure.offset]), as: UTF8.self)
            out += hex(rest[failure.offset])
            start += failure.offset + 1
        }
        return out
    }

    private static func renderGB18030(_ bytes: UnsafeBufferPointer<UInt8>, _ converter: CharsetConverter) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(b))
                i += 1
                continue
            }
            // Two-byte sequences have a trail of 0x40...0xFE; four-byte ones a digit second byte.
            let length = i + 1 < bytes.count && (0x30...0x39).contains(bytes[i + 1]) ? 4 : 2
            if i + length <= bytes.count,
               let s = converter.decode(UnsafeBufferPointer(rebasing: bytes[i..<(i + length)])) {
                out += s
                i += length
            } else {
                out += hex(b)
                i += 1
            }
        }
        return out
    }
}
