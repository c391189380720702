import Zhaoren

/// What to generate: how many people, from which seed, as of which date, with which errors.
///
/// ```swift
/// let config = CityConfig(persons: 100_000, seed: 1)
/// let city = try SyntheticCity(config)
/// ```
public struct CityConfig: Sendable, Hashable {
    /// Hidden persons (living and dead, residents and migrants).
    public var persons: Int
    /// The seed: the same persons and seed give byte-identical files.
    public var seed: UInt64
    /// The reference date: ages, statuses and "last paid" months are as of this day.
    public var asOf: CivilDate
    /// How often each manual-entry error is injected.
    public var errors: ErrorRates

    /// The default reference date, 2026-11-01.
    public static let defaultAsOf = CivilDate(year: 2026, month: 11, day: 1)!

    /// A configuration with realistic default error rates.
    public init(persons: Int, seed: UInt64, asOf: CivilDate = CityConfig.defaultAsOf, errors: ErrorRates = ErrorRates()) {
        self.persons = persons
        self.seed = seed
        self.asOf = asOf
        self.errors = errors
    }
}
