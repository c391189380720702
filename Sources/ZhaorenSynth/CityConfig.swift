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
    /// The layout of the department files: the project's own (split area columns, employer
    /// codes always present) or the one real exports have.
    public var shape: CityShape

    /// The default reference date, 2026-11-01.
    public static let defaultAsOf = CivilDate(year: 2026, month: 11, day: 1)!

    /// A configuration with realistic default error rates.
    public init(persons: Int, seed: UInt64, asOf: CivilDate = CityConfig.defaultAsOf, errors: ErrorRates = ErrorRates(),
                shape: CityShape = .friendly) {
        self.persons = persons
        self.seed = seed
        self.asOf = asOf
        self.errors = errors
        self.shape = shape
    }
}

/// How the department files of a synthetic city are laid out.
///
/// ```swift
/// let config = CityConfig(persons: 100_000, seed: 1, shape: .real)
/// CityFile.police.columns(in: .real)   // no 县(区)/乡镇/村(社区) columns: 户籍地址 only
/// ```
public enum CityShape: String, Sendable, Hashable, CaseIterable {
    /// The project's first layout: the police register with county, township and village
    /// columns, the survey with grid names, every employer account with its credit code.
    case friendly
    /// What real exports look like: the police register has only the full 户籍地址 (written
    /// several ways, now and then with the county's former name or a township's suffix
    /// dropped); the survey has a 15-digit 网格编号 (some blank or cut short) and a 现居住地址
    /// that mostly starts at the township or the village; insurance accounts carry the
    /// employer's 单位名称, and about one in five a blank credit code (others a legacy or
    /// mistyped one); a few employees have two accounts with the same employer.
    case real
}
