/// One ingredient of a blocking key, read from a record's normalized columns. Some parts give
/// several values per record (all pinyin readings, every one-deletion variant of an ID);
/// a rule's keys are then the combinations of its parts' values.
///
/// A record with no value for a part gets no key from a rule using it.
public enum BlockingKeyPart: String, Codable, Sendable, CaseIterable {
    /// The packed resident ID.
    case id
    /// The 18 one-deletion variants of the ID: two IDs one substitution or adjacent
    /// transposition apart share one of them.
    case idDeletions = "id_deletions"
    /// The ID if it passes its check digit, else every number one substitution or adjacent
    /// transposition away that does. GB 11643's MOD 11-2 check catches every such typo, so a
    /// typo'd number meets the true one here, with about 20 keys for a failing number and one
    /// for a valid one (instead of 18 deletion keys for every number).
    case idCorrections = "id_corrections"
    /// The phone number.
    case phone
    /// The one-deletion variants of the phone number.
    case phoneDeletions = "phone_deletions"
    /// The folded name.
    case name
    /// The pinyin reading keys of the name (several for polyphonic characters).
    case pinyin
    /// The fuzzy-pinyin keys of the name.
    case fuzzyPinyin = "fuzzy_pinyin"
    /// The surname.
    case surname
    /// The birth date (the record's own, else the one in its ID).
    case birth
    /// The birth date in the ID.
    case idBirth = "id_birth"
    /// The birth year (own, else from the ID).
    case birthYear = "birth_year"
    /// The birth date with month and day sorted, so that a swapped month/day still meets.
    case birthUnordered = "birth_unordered"
    /// Sex (own, else from the ID).
    case sex
    /// The folded address.
    case address
    /// The folded other identifier.
    case otherID = "other_id"
    /// The folded area.
    case area
    /// The folded other identifier and its one-deletion variants: two identifiers one
    /// substitution, insertion, deletion or adjacent transposition apart share one of them.
    case otherIDDeletions = "other_id_deletions"
}

extension BlockingKeyPart {
    /// The part's position in ``allCases`` (it tags the part's values), without building the array.
    @inline(__always)
    var ordinal: Int {
        switch self {
        case .id: 0
        case .idDeletions: 1
        case .idCorrections: 2
        case .phone: 3
        case .phoneDeletions: 4
        case .name: 5
        case .pinyin: 6
        case .fuzzyPinyin: 7
        case .surname: 8
        case .birth: 9
        case .idBirth: 10
        case .birthYear: 11
        case .birthUnordered: 12
        case .sex: 13
        case .address: 14
        case .otherID: 15
        case .area: 16
        case .otherIDDeletions: 17
        }
    }

    /// The tag xored or or-ed into the part's values so that equal numbers of different parts differ.
    @inline(__always)
    var tag: UInt64 { UInt64(ordinal + 1) << 56 }
}
