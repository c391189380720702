/// What a column means, as named in `--columns ROLE=HEADER[,ROLE=HEADER…]`.
///
/// A role may take several columns (`address=street,address=suburb`), joined in order.
///
/// ```swift
/// FieldRole(rawValue: "id")        // .id
/// FieldRole.allCases.map(\.rawValue)
/// ```
public enum FieldRole: String, Hashable, Sendable, CaseIterable, Codable {
    /// A whole person name (姓名).
    case name
    /// The surname, where a register splits names.
    case surname
    /// The given name, where a register splits names.
    case givenName = "given_name"
    /// A resident ID number (公民身份号码), 15 or 18 characters.
    case id
    /// Any other identifier (passport, social-security number …), compared as text.
    case otherID = "other_id"
    /// A birth date in any of the supported formats.
    case birth
    /// Sex (男/女, M/F, 1/2).
    case sex
    /// A mobile or landline phone number.
    case phone
    /// A postal address.
    case address
    /// A postcode.
    case postcode
    /// An administrative area (county, township, village or grid).
    case area
    /// A unified social credit code (统一社会信用代码) or legacy taxpayer number.
    case creditCode = "credit_code"
    /// An organisation or enterprise name.
    case orgName = "org_name"
}
