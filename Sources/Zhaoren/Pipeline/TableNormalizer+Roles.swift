import Foundation

/// The value kinds `zhaoren normalize` adds columns for, built once per run: the name
/// normalizer (ICU tables, about 0.1 s) only when a name or organisation role is present.
struct RoleKinds {
    var personName: TableNormalizer.ValueKind
    var residentID: TableNormalizer.ValueKind
    var birthDate: TableNormalizer.ValueKind
    var sex: TableNormalizer.ValueKind
    var phone: TableNormalizer.ValueKind
    var creditCode: TableNormalizer.ValueKind
    var orgName: TableNormalizer.ValueKind
    var folded: TableNormalizer.ValueKind

    init(roles: Set<FieldRole>) throws(ZhaorenError) {
        var names: NameNormalizer? = nil
        if !roles.isDisjoint(with: [.name, .surname, .givenName, .orgName]) {
            do { names = try NameNormalizer() } catch { throw ZhaorenError(.icu, error.message) }
        }
        let enterprises = roles.contains(.orgName) ? EnterpriseNameNormalizer(characters: names) : nil
        let today = CivilDate.todayInChina()

        folded = .init(suffixes: ["folded"]) { [TextFolding.fold($0)] }
        personName = .init(suffixes: ["folded", "surname", "given", "pinyin", "fuzzy_pinyin"]) { value in
            guard let p = names?.normalize(value) else { return [TextFolding.fold(value), "", "", "", ""] }
            return [p.folded, p.surname, p.givenName, p.pinyin, p.fuzzyPinyin]
        }
        residentID = .init(suffixes: ["normalized", "valid", "issues", "birth", "sex", "region"]) { value in
            let id = ResidentID.parse(value, asOf: today)
            return [id.normalized ?? "", String(id.isValid), id.issues.codes.joined(separator: ";"),
                    id.birthDate?.description ?? "", id.sex?.code ?? "", id.regionCode ?? ""]
        }
        birthDate = .init(suffixes: ["iso", "issue"]) { value in
            let parsed = DateParser.parse(value)
            switch parsed {
            case .day(let date): return [date.description, ""]
            case .month: return [parsed.description, "month_only"]
            case .failure(let code, _): return ["", code]
            }
        }
        sex = .init(suffixes: ["code"]) { [Sex(parsing: $0)?.code ?? ""] }
        phone = .init(suffixes: ["normalized", "kind", "issues"]) { value in
            let p = PhoneNumber.parse(value)
            return [p.normalized ?? "", p.kind.rawValue, p.issues.codes.joined(separator: ";")]
        }
        creditCode = .init(suffixes: ["normalized", "org_code", "issues"]) { value in
            let c = CreditCode.parse(value)
            return [c.normalized ?? "", c.orgCode ?? "", c.issues.codes.joined(separator: ";")]
        }
        orgName = .init(suffixes: ["key", "branch"]) { value in
            guard let e = enterprises?.normalize(value) else { return [TextFolding.fold(value), ""] }
            return [e.key, e.branch]
        }
    }
}
