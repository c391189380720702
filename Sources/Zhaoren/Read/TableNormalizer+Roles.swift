import Foundation

/// The value kinds `zhaoren normalize` adds columns for, built once per run.
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
        folded = .init(suffixes: ["folded"]) { [TextFolding.fold($0)] }
        personName = .init(suffixes: ["folded", "surname", "given", "pinyin", "fuzzy_pinyin"]) { [TextFolding.fold($0), "", "", "", ""] }
        residentID = .init(suffixes: ["normalized", "valid", "issues", "birth", "sex", "region"]) { [TextFolding.fold($0), "", "", "", "", ""] }
        birthDate = .init(suffixes: ["iso", "issue"]) { [TextFolding.fold($0), ""] }
        sex = .init(suffixes: ["code"]) { [Sex(parsing: $0)?.code ?? ""] }
        phone = .init(suffixes: ["normalized", "kind", "issues"]) { [TextFolding.fold($0), "", ""] }
        creditCode = .init(suffixes: ["normalized", "org_code", "issues"]) { [TextFolding.fold($0), "", ""] }
        orgName = .init(suffixes: ["key", "branch"]) { [TextFolding.fold($0), ""] }
    }
}
