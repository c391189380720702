internal import ZhaorenICUShim

/// ICU could not open a transliterator or converter.
public struct ICUError: Error, Sendable, CustomStringConvertible {
    /// What failed and ICU's error name.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An ICU transliterator (e.g. `Han-Latin`, `Traditional-Simplified`).
///
/// Opening one compiles rules (about 0.1 s), so open it once and use it to fill tables
/// per character or per distinct value, never per row. Not thread-safe: give each worker its own.
///
/// ```swift
/// let t = try Transliterator("Traditional-Simplified")
/// t.apply("張偉")   // "张伟"
/// ```
public final class Transliterator {
    private let handle: UnsafeMutableRawPointer
    /// The ICU id it was opened with.
    public let id: String

    /// Opens the transliterator with ICU id `id`.
    public init(_ id: String) throws(ICUError) {
        self.id = id
        var status: Int32 = 0
        let units = Array(id.utf16)
        let opened = units.withUnsafeBufferPointer { zhaoren_icu_translit_open($0.baseAddress, Int32($0.count), &status) }
        guard zhaoren_icu_failed(status) == 0, let opened else {
            throw ICUError("cannot open ICU transliterator \(id): \(String(cString: zhaoren_icu_error_name(status)))")
        }
        handle = opened
    }

    /// Opens a transliterator from custom ICU rules.
    public init(id: String, rules: String) throws(ICUError) {
        self.id = id
        var status: Int32 = 0
        let idUnits = Array(id.utf16)
        let ruleUnits = Array(rules.utf16)
        let opened = idUnits.withUnsafeBufferPointer { idp in
            ruleUnits.withUnsafeBufferPointer { rp in
                zhaoren_icu_translit_open_rules(idp.baseAddress, Int32(idp.count), rp.baseAddress, Int32(rp.count), &status)
            }
        }
        guard zhaoren_icu_failed(status) == 0, let opened else {
            throw ICUError("cannot compile ICU rules \(id): \(String(cString: zhaoren_icu_error_name(status)))")
        }
        handle = opened
    }

    deinit { zhaoren_icu_translit_close(handle) }

    /// Returns `text` transliterated. Returns `text` unchanged if ICU fails.
    public func apply(_ text: String) -> String {
        var units = Array(text.utf16)
        var capacity = max(16, units.count * 4 + 16)
        while true {
            var buffer = [UInt16](repeating: 0, count: capacity)
            buffer.replaceSubrange(0..<units.count, with: units)
            var length = Int32(units.count)
            var status: Int32 = 0
            buffer.withUnsafeMutableBufferPointer { zhaoren_icu_translit_run(handle, $0.baseAddress, &length, Int32(capacity), &status) }
            if zhaoren_icu_buffer_overflow(status) != 0 || Int(length) > capacity {
                capacity = max(capacity * 2, Int(length) + 16)
                units = Array(text.utf16)
                continue
            }
            guard zhaoren_icu_failed(status) == 0 else { return text }
            return String(decoding: buffer[0..<Int(length)], as: UTF16.self)
        }
    }
}

/// A strict ICU charset converter: decoding stops at the first illegal byte sequence
/// instead of substituting U+FFFD or a private-use character.
///
/// ```swift
/// let gb = try CharsetConverter("GB18030")
/// gb.decode([0xD5, 0xC5, 0xC8, 0xFD])   // "张三"
/// gb.decode([0x80])                      // nil
/// ```
public final class CharsetConverter {
    private let handle: UnsafeMutableRawPointer
    private var units: [UInt16] = []
    /// The ICU converter name (e.g. `GB18030`).
    public let name: String

    /// Opens the converter named `name`.
    public init(_ name: String) throws(ICUError) {
        self.name = name
        var status: Int32 = 0
        guard let opened = zhaoren_icu_converter_open_strict(name, &status), zhaoren_icu_failed(status) == 0 else {
            throw ICUError("cannot open ICU converter \(name): \(String(cString: zhaoren_icu_error_name(status)))")
        }
        handle = opened
    }

    deinit { zhaoren_icu_converter_close(handle) }

    /// Decodes `bytes`, or returns `nil` if they are not valid in this charset.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if units.count < bytes.count + 8 { units = [UInt16](repeating: 0, count: bytes.count * 2 + 16) }
        var status: Int32 = 0
        let count = units.withUnsafeMutableBufferPointer { dest in
            bytes.withMemoryRebound(to: CChar.self) { src in
                zhaoren_icu_converter_to_utf16(handle, dest.baseAddress, Int32(dest.count), src.baseAddress, Int32(src.count), &status)
            }
        }
        guard zhaoren_icu_failed(status) == 0 else { return nil }
        return String(decoding: units[0..<Int(count)], as: UTF16.self)
    }

    /// Decodes an array of bytes, or returns `nil` if they are not valid in this charset.
    public func decode(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// Encodes `text` in this charset, or returns `nil` if a character cannot be encoded.
    public func encode(_ text: String) -> [UInt8]? {
        let source = Array(text.utf16)
        var capacity = source.count * 4 + 16
        var out = [UInt8](repeating: 0, count: capacity)
        var status: Int32 = 0
        var count = source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dest in
                dest.withMemoryRebound(to: CChar.self) {
                    zhaoren_icu_converter_from_utf16(handle, $0.baseAddress, Int32(capacity), src.baseAddress, Int32(src.count), &status)
                }
            }
        }
        if zhaoren_icu_buffer_overflow(status) != 0 {
            capacity = Int(count) + 16
            out = [UInt8](repeating: 0, count: capacity)
            status = 0
            count = source.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dest in
                    dest.withMemoryRebound(to: CChar.self) {
                        zhaoren_icu_converter_from_utf16(handle, $0.baseAddress, Int32(capacity), src.baseAddress, Int32(src.count), &status)
                    }
                }
            }
        }
        guard zhaoren_icu_failed(status) == 0 else { return nil }
        return Array(out[0..<Int(count)])
    }
}
