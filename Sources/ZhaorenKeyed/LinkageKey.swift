import Crypto
import Foundation
import Zhaoren
import ZhaorenSupport

/// The secret every department encodes with: 256 random bits. Whoever holds it can test a
/// guessed value against a token, so it stays with the departments (or a key holder), never
/// with the linkage unit that receives the encoded files.
///
/// The key file is one line, `zhaoren-key-v1:` and 64 hexadecimal digits, written with
/// mode 0600.
///
/// ```swift
/// let key = LinkageKey.generate()
/// try key.write(to: URL(fileURLWithPath: "city.key"))
/// let same = try LinkageKey(contentsOf: URL(fileURLWithPath: "city.key"))
/// same.fingerprint     // 16 hexadecimal digits, the same for both
/// ```
public struct LinkageKey: Sendable {
    /// The key itself.
    let key: SymmetricKey

    /// The prefix of a key file's line.
    public static let prefix = "zhaoren-key-v1:"

    /// A new random key (from the system's secure random source).
    public static func generate() -> LinkageKey { LinkageKey(key: SymmetricKey(size: .bits256)) }

    init(key: SymmetricKey) { self.key = key }

    /// A key from its 32 bytes (for tests and key escrow tools).
    public init(bytes: [UInt8]) throws(ZhaorenError) {
        guard bytes.count == 32 else { throw ZhaorenError(.invalidArgument, "a linkage key is 32 bytes, not \(bytes.count)") }
        key = SymmetricKey(data: bytes)
    }

    /// Reads a key file.
    /// - Throws: `ZhaorenError` naming the file when it is missing, unreadable or not a key file
    ///   (the error never shows the file's content).
    public init(contentsOf url: URL) throws(ZhaorenError) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ZhaorenError(.io, "no key file here; make one with zhaoren keygen --out \(url.lastPathComponent)", file: url.path)
        }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ZhaorenError(.io, "cannot read the key file", file: url.path)
        }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix(Self.prefix) else {
            throw ZhaorenError(.malformedInput, "not a zhaoren key file: expected one line starting with \(Self.prefix)", file: url.path, line: 1, column: 1)
        }
        let hex = Array(line.utf8.dropFirst(Self.prefix.utf8.count))
        guard hex.count == 64 else {
            throw ZhaorenError(.malformedInput, "a key file holds 64 hexadecimal digits after \(Self.prefix), this one \(hex.count) characters",
                               file: url.path, line: 1, column: Self.prefix.count + 1)
        }
        var bytes: [UInt8] = []
        for k in stride(from: 0, to: 64, by: 2) {
            guard let hi = Self.hexValue(hex[k]), let lo = Self.hexValue(hex[k + 1]) else {
                throw ZhaorenError(.malformedInput, "a key file holds hexadecimal digits only", file: url.path, line: 1,
                                   column: Self.prefix.count + k + 1)
            }
            bytes.append(hi << 4 | lo)
        }
        key = SymmetricKey(data: bytes)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Writes the key file with mode 0600, atomically; refuses to overwrite an existing file
    /// (a key replaced by mistake makes every file encoded with it unlinkable).
    public func write(to url: URL) throws(ZhaorenError) {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw ZhaorenError(.invalidArgument, "a file is already there; a key is never overwritten (remove it first if it is really no longer needed)", file: url.path)
        }
        let hex = key.withUnsafeBytes { raw in raw.map { String(format: "%02x", $0) }.joined() }
        try AtomicFile.write(Self.prefix + hex + "\n", to: url, mode: 0o600)
    }

    /// The key's fingerprint: the first 64 bits of an HMAC of a fixed label, in hexadecimal.
    /// It tells keys apart and reveals nothing about the key.
    public var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("zhaoren key fingerprint v1".utf8), using: key)
        return mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
