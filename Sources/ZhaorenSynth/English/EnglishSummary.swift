import Foundation

/// What ``EnglishRecords/write(to:)`` wrote.
public struct EnglishSummary: Sendable {
    /// The output folder.
    public var folder: URL
    /// Data rows of `people.csv`.
    public var peopleRows: Int
    /// Data rows of `register.csv`.
    public var registerRows: Int
    /// Data rows of `truth/entities.csv` (people rows plus register rows).
    public var truthRows: Int
    /// Persons with two or more rows in `people.csv`.
    public var duplicatedPersons: Int
    /// Modifications applied to duplicate rows (typos, swaps, blanks …).
    public var modifications: Int
}
