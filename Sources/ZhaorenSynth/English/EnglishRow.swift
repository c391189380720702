import Zhaoren

/// One row of `people.csv` or `register.csv`, as text fields in column order.
struct EnglishRow: Sendable {
    /// The column headers of both files.
    static let header = ["given_name", "surname", "date_of_birth", "street", "suburb", "state", "postcode", "ssn"]

    var given: String
    var surname: String
    /// The birth date as a day number (formatted when written), `nil` when blank.
    var birth: CivilDate?
    var number: String
    var streetName: String
    var streetType: String
    var suburb: String
    var state: String
    var postcode: String
    var ssn: String

    /// The street field: `number name type`, skipping blank parts.
    var street: String {
        [number, streetName, streetType].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The fields in column order.
    var fields: [String] {
        [given, surname, birth?.description ?? "", street, suburb, state, postcode, ssn]
    }

    /// The true values of person `p`.
    init(person p: Int, _ pop: EnglishPopulation, _ t: EnglishTables) {
        given = pop.female[p] ? t.givenFemale[Int(pop.given[p])] : t.givenMale[Int(pop.given[p])]
        surname = t.surnames[Int(pop.surname[p])]
        birth = CivilDate(dayNumber: pop.birth[p])
        let a = pop.addresses[Int(pop.address[p])]
        let street = pop.streets[Int(a.street)]
        let town = pop.towns[Int(a.town)]
        number = String(a.number)
        streetName = street.name
        streetType = pop.abbreviates[p] ? t.streetTypes[street.type].short : t.streetTypes[street.type].full
        suburb = town.name
        state = t.states[town.state].code
        postcode = Self.zip(town.postcode)
        ssn = pop.ssn[p] == 0 ? "" : Self.ssn(Int(pop.ssn[p]))
    }

    /// A 5-digit ZIP code.
    static func zip(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    /// `9DD-DD-DDDD` from the 8 digits after the leading 9 (the never-issued 9xx area).
    static func ssn(_ v: Int) -> String {
        var s = String(v)
        s = "9" + String(repeating: "0", count: max(0, 8 - s.count)) + s
        let u = Array(s.utf8)
        return String(decoding: u[0..<3], as: UTF8.self) + "-" + String(decoding: u[3..<5], as: UTF8.self) + "-"
            + String(decoding: u[5..<9], as: UTF8.self)
    }
}
