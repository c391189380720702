/// One name period of a GB/T 2260 administrative-division code: the name it carried and the
/// years it was in force.
///
/// ```swift
/// let r = RegionTable.shared.lookup("640402")!
/// r.name                 // "原州区"
/// r.isInForce(in: 2010)  // true
/// ```
public struct Region: Hashable, Sendable, CustomStringConvertible {
    /// The 6-digit code, e.g. `"640402"`.
    public let code: String
    /// The name in this period, e.g. `"原州区"`.
    public let name: String
    /// The first year in force; `1980` means "in the first edition (GB 2260-80) or earlier",
    /// `nil` that the sources give no year. Neither sets a lower bound.
    public let firstYear: Int?
    /// The last year in force, or `nil` if still in force.
    public let lastYear: Int?

    /// Creates a region period.
    public init(code: String, name: String, firstYear: Int?, lastYear: Int?) {
        self.code = code
        self.name = name
        self.firstYear = firstYear
        self.lastYear = lastYear
    }

    /// Whether the code was in force (under this name) in `year`. Codes from the 1980 edition
    /// and codes without a first year count as in force for every earlier year.
    public func isInForce(in year: Int) -> Bool {
        if let firstYear, firstYear > RegionTable.firstEditionYear, year < firstYear { return false }
        if let lastYear, year > lastYear { return false }
        return true
    }

    /// `code name first–last`.
    public var description: String {
        "\(code) \(name) \(firstYear.map(String.init) ?? "")–\(lastYear.map(String.init) ?? "")"
    }
}
