/// Masking of personal identifiers in the worklists that leave the data center.
///
/// ```swift
/// CoverageMask.idNumber("64040219850307123X")   // "640402********123X"
/// CoverageMask.phone("13800138000")             // "138****8000"
/// ```
public enum CoverageMask {
    /// An ID number with only the first 6 (region) and last 4 characters kept; every other
    /// character becomes `*`. Values of 10 characters or fewer are masked entirely.
    public static func idNumber(_ id: String) -> String {
        let utf8 = id.utf8
        if utf8.count > 10, utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every real ID number): slice bytes, no Character array.
            var bytes = Array(utf8)
            for i in 6..<(bytes.count - 4) { bytes[i] = 0x2A }
            return String(decoding: bytes, as: UTF8.self)
        }
        let chars = Array(id)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<6]) + String(repeating: "*", count: chars.count - 10) + String(chars[(chars.count - 4)...])
    }

    /// A phone number with the first 3 and last 4 characters kept (`138****8000`); values
    /// shorter than 8 characters keep only their last 2.
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        if chars.count >= 8 {
            return String(chars[..<3]) + String(repeating: "*", count: chars.count - 7) + String(chars[(chars.count - 4)...])
        }
        guard chars.count > 2 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 2) + String(chars[(chars.count - 2)...])
    }
}
