import Zhaoren
import ZhaorenSupport

/// The blocking keys a population base stores per person, so that an update finds the
/// candidates of a new record with a few indexed lookups instead of loading every person:
/// the packed ID number, the mobile phone, the folded name with the birth date, and each fuzzy
/// pinyin reading with the birth date (the keys ``BaseMatcher`` indexes in memory). A record
/// asks with the same keys, plus its ID number's check-digit corrections.
///
/// ```swift
/// let keys = BaseKeys.person(id: packed, phone: 0, name: normalized, day: birthDay)
/// let asked = BaseKeys.query(id: packed, phone: 0, name: normalized, day: birthDay)   // ⊇ keys
/// ```
package enum BaseKeys {
    /// The keys stored for a person.
    package static func person(id: UInt64, phone: UInt64, name: NormalizedName?, day: Int32) -> [Int64] {
        var keys: [Int64] = []
        if id != 0 { keys.append(tagged(1, id)) }
        if phone != 0 { keys.append(tagged(2, phone)) }
        if let name, day != RecordTable.missingDate {
            let d = UInt64(UInt32(bitPattern: day))
            keys.append(tagged(3, StableHash.combine(StableHash.of(name.folded), d)))
            for f in name.fuzzyKeys { keys.append(tagged(4, StableHash.combine(f, d))) }
        }
        return keys
    }

    /// The keys a record asks with: its own, and its ID number's one-digit corrections.
    package static func query(id: UInt64, phone: UInt64, name: NormalizedName?, day: Int32) -> [Int64] {
        var keys = person(id: id, phone: phone, name: name, day: day)
        if id != 0 { for c in PackedDigits.idCorrections(id) where c != id { keys.append(tagged(1, c)) } }
        return keys
    }

    static func tagged(_ kind: UInt64, _ value: UInt64) -> Int64 {
        Int64(bitPattern: StableHash.combine(kind, value))
    }
}
