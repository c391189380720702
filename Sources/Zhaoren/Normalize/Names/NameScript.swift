/// The writing system of a person name after folding.
public enum NameScript: UInt8, Sendable, Hashable, CaseIterable {
    /// Nothing left after folding (empty, or only spaces and dots).
    case empty = 0
    /// Han characters only (any CJK block, private-use characters counted as Han), with
    /// possibly middle dots, digits or punctuation.
    case han = 1
    /// No Han character: Latin letters (after folding Greek, Cyrillic and accented letters to
    /// ASCII), digits and punctuation.
    case latin = 2
    /// Both Han characters and Latin letters (`王Tony`).
    case mixed = 3
}
