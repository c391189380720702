/// Comparison levels of keyed-encoded records: the same levels as ``Comparator`` computes on
/// values, decided by which token classes two records share (see ``EncodedField``).
///
/// | kind | what decides each level on tokens |
/// |---|---|
/// | `chinese_name` | exact: `name`; folded: `name_folded`; pinyin: `name_pinyin`; fuzzy: `name_fuzzy`; one character apart: `name_near`; surname: `surname` |
/// | `latin_name` | folded: `name_folded`; same tokens in any order: `name_near`; same whole-name phonetic key: `name_fuzzy`; a token equal and another alike by sound: `name_part` + 2 of `name_pinyin`; a token equal: `name_part` |
/// | `resident_id` | exact: `id`; one edit: `id_mask`, or one's `id_fix` holds the other's `id`; two numbers passing the check: the flags |
/// | `birth_date` | exact, swapped (`birth_swapped`), one digit (`birth_digit`), same month (`birth_month`), same day in another year (`birth_day`), within two years (`birth_year`/`birth_near_years`) |
/// | `phone` | exact: `phone`; one edit: `phone` ∪ `phone_deletions` shared |
/// | `address` | exact: `address`; Dice of `address_bigrams` |
/// | `text` | exact; one edit: `other_id` ∪ `other_id_deletions` shared (two edits are not encoded) |
///
/// Salted names compare only between records of the same birth year: across years the name
/// comparison is "missing" (level 0, no weight either way), never "else" — except among the
/// random pairs that estimate u, where it is "else": u is then the chance of agreeing on name
/// and birth year together, as a salted name's term frequency is (see ``EncodedColumns/foldedName``).
extension EncodedColumns {
    /// The level of a comparison of `kind` (reading `role`'s fields) for records `i` and `j`;
    /// names salted with different birth years get level `saltMismatch` (0, missing, when
    /// scoring; 1, else, when estimating u).
    @inline(__always)
    package func level(_ kind: ComparisonKind, _ role: FieldRole, _ thresholds: [Double], _ i: Int, _ j: Int,
                       saltMismatch: UInt8 = 0) -> UInt8 {
        switch kind {
        case .chineseName: return chineseName(i, j, saltMismatch)
        case .latinName: return latinName(i, j, saltMismatch)
        case .residentID: return residentID(i, j)
        case .idConsistency: return idConsistency(i, j)
        case .birthDate: return birthDate(i, j)
        case .sex:
            let a = first(.sex, i), b = first(.sex, j)
            return a == 0 || b == 0 ? 0 : (a == b ? 2 : 1)
        case .phone:
            let a = first(.phone, i), b = first(.phone, j)
            if a == 0 || b == 0 { return 0 }
            if a == b { return 3 }
            return a == b || contains(.phoneDeletions, j, a) || contains(.phoneDeletions, i, b)
                || intersects(.phoneDeletions, i, j) ? 2 : 1
        case .address, .text:
            let (exact, deletions): (EncodedField, EncodedField?) = switch role {
            case .address: (.address, nil)
            case .area: (.area, nil)
            default: (.otherID, .otherIDDeletions)
            }
            let a = first(exact, i), b = first(exact, j)
            if a == 0 || b == 0 { return 0 }
            if a == b { return 4 }
            if kind == .address && role == .address {
                let x = run(.addressBigrams, i).count, y = run(.addressBigrams, j).count
                if x + y == 0 { return 1 }
                let d = 2 * Double(common(.addressBigrams, i, .addressBigrams, j)) / Double(x + y)
                return d >= thresholds[0] ? 3 : d >= thresholds[1] ? 2 : 1
            }
            if kind == .text, let deletions {
                if contains(deletions, j, a) || contains(deletions, i, b) || intersects(deletions, i, j) { return 3 }
            }
            return 1
        }
    }

    @inline(__always)
    func chineseName(_ i: Int, _ j: Int, _ saltMismatch: UInt8) -> UInt8 {
        if !has(.nameFolded, i) || !has(.nameFolded, j) { return 0 }
        if !namesComparable(i, j) { return saltMismatch }
        if first(.name, i) == first(.name, j) { return 7 }
        if first(.nameFolded, i) == first(.nameFolded, j) { return 6 }
        if intersects(.namePinyin, i, j) { return 5 }
        if intersects(.nameFuzzy, i, j) { return 4 }
        if intersects(.nameNear, i, j) { return 3 }
        let s = first(.surname, i)
        if s != 0 && s == first(.surname, j) { return 2 }
        return 1
    }

    @inline(__always)
    func latinName(_ i: Int, _ j: Int, _ saltMismatch: UInt8) -> UInt8 {
        if !has(.nameFolded, i) || !has(.nameFolded, j) { return 0 }
        if !namesComparable(i, j) { return saltMismatch }
        if first(.name, i) == first(.name, j) || first(.nameFolded, i) == first(.nameFolded, j) { return 6 }
        if intersects(.nameNear, i, j) { return 5 }
        if intersects(.nameFuzzy, i, j) { return 4 }
        if intersects(.namePart, i, j) {
            return common(.namePinyin, i, .namePinyin, j, stopAt: 2) >= 2 ? 3 : 2
        }
        return 1
    }

    @inline(__always)
    func residentID(_ i: Int, _ j: Int) -> UInt8 {
        let a = first(.id, i), b = first(.id, j)
        if a == 0 || b == 0 { return 0 }
        if a == b { return 4 }
        if intersects(.idMask, i, j) || contains(.idFix, j, a) || contains(.idFix, i, b) { return 3 }
        return flags(i).contains(.idPassesCheck) && flags(j).contains(.idPassesCheck) ? 1 : 2
    }

    @inline(__always)
    func birthDate(_ i: Int, _ j: Int) -> UInt8 {
        let a = effectiveBirth(i), b = effectiveBirth(j)
        if a == 0 || b == 0 { return 0 }
        let nearYears = first(.birthYear, i) == first(.birthYear, j) || intersects(.birthYear, i, .birthNearYears, j)
        if flags(i).contains(.birthMonthOnly) || flags(j).contains(.birthMonthOnly) {
            if first(.birthMonth, i) == first(.birthMonth, j) { return 4 }
            return nearYears ? 2 : 1
        }
        if a == b { return 7 }
        if first(.birthSwapped, i) == first(.birthSwapped, j) { return 6 }
        if intersects(.birthDigit, i, j) { return 5 }
        if first(.birthMonth, i) == first(.birthMonth, j) { return 4 }
        if first(.birthDay, i) == first(.birthDay, j) { return 3 }
        return nearYears ? 2 : 1
    }

    @inline(__always)
    func idConsistency(_ i: Int, _ j: Int) -> UInt8 {
        var checks = 0, birthBad = false, sexBad = false
        func check(_ x: Int, _ y: Int) {
            guard has(.id, x) else { return }
            let field = first(.birth, y)
            if has(.idBirth, x) && field != 0 {
                checks += 1
                let own = flags(y).contains(.birthFieldMonthOnly) ? first(.idBirthMonth, x) : first(.idBirth, x)
                if own != field { birthBad = true }
            }
            let idSex = first(.idSex, x), sex = first(.sex, y)
            if idSex != 0 && sex != 0 {
                checks += 1
                if idSex != sex { sexBad = true }
            }
        }
        check(i, j)
        check(j, i)
        if checks == 0 { return 0 }
        return birthBad ? 1 : sexBad ? 2 : 3
    }

    /// ``Comparator/birthComesFromIDs(_:_:)`` on tokens: both records carry an ID and each
    /// birth date compared is its own ID's.
    @inline(__always)
    package func birthComesFromIDs(_ i: Int, _ j: Int) -> Bool {
        has(.id, i) && has(.id, j) && flags(i).contains(.birthFromID) && flags(j).contains(.birthFromID)
    }
}
