/// The identifier types `zhaoren check` validates.
package enum IdentifierKind: String, CaseIterable, Hashable, Sendable {
    /// GB 11643 resident ID (``ResidentID``).
    case residentID = "resident-id"
    /// GB 32100 unified social credit code (``CreditCode``).
    case creditCode = "credit-code"
    /// Mainland phone number (``PhoneNumber``).
    case phone
}
