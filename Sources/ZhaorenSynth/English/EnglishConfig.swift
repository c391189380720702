/// What `EnglishRecords` generates: how many hidden persons, from which seed, how noisy.
///
/// ```swift
/// let config = EnglishConfig(persons: 100_000, seed: 1)
/// let records = EnglishRecords(config)
/// ```
public struct EnglishConfig: Sendable, Hashable {
    /// Hidden persons; `people.csv` holds about 1.45 rows per person.
    public var persons: Int
    /// The seed: the same persons and seed give byte-identical files.
    public var seed: UInt64
    /// Share of persons with two or more rows in `people.csv` (default 0.30).
    public var duplicatedShare: Double
    /// Share of persons in `register.csv` (default 0.80).
    public var registerShare: Double
    /// Whether duplicates are written without noise (for tests of the pipeline itself).
    public var clean: Bool

    /// The default reference date for ages, 2026-11-01 (as the city's).
    public static let referenceYear = 2026

    /// A configuration with the default, FEBRL-like noise.
    public init(persons: Int, seed: UInt64, duplicatedShare: Double = 0.30, registerShare: Double = 0.80, clean: Bool = false) {
        self.persons = persons
        self.seed = seed
        self.duplicatedShare = duplicatedShare
        self.registerShare = registerShare
        self.clean = clean
    }
}
