import Foundation

/// Folding of free text for comparison: NFKC (full-width → half-width, compatibility forms),
/// whitespace runs collapsed to one space, trimmed.
///
/// ```swift
/// TextFolding.fold("　宁夏  固原市１号 ")   // "宁夏 固原市1号"
/// ```
package enum TextFolding {
    /// `text` in NFKC with whitespace collapsed and trimmed.
    public static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}
