/// A blocking rule: records whose keys (combinations of the parts' values) are equal become
/// candidate pairs. Rules are tried in order; a pair belongs to the first rule producing it.
///
/// A block larger than ``maxBlockSize`` is split by ``splitBy`` if given, and any block
/// (or sub-block) still too large is dropped; both are listed in the blocking report.
///
/// ```json
/// {"name": "pinyin_birth", "on": ["pinyin", "birth"], "max_block_size": 200, "split_by": ["sex"]}
/// ```
public struct BlockingRule: Codable, Sendable, Hashable {
    /// A short name for reports.
    public var name: String
    /// The key parts, combined.
    public var on: [BlockingKeyPart]
    /// The largest block kept whole (pairs grow with the square of the size).
    public var maxBlockSize: Int
    /// Parts that split an oversized block.
    public var splitBy: [BlockingKeyPart]

    /// Creates a rule.
    public init(_ name: String, on: [BlockingKeyPart], maxBlockSize: Int = 300, splitBy: [BlockingKeyPart] = []) {
        self.name = name
        self.on = on
        self.maxBlockSize = maxBlockSize
        self.splitBy = splitBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, on, maxBlockSize = "max_block_size", splitBy = "split_by" }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        on = try c.decode([BlockingKeyPart].self, forKey: .on)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? on.map(\.rawValue).joined(separator: "+")
        maxBlockSize = try c.decodeIfPresent(Int.self, forKey: .maxBlockSize) ?? 300
        splitBy = try c.decodeIfPresent([BlockingKeyPart].self, forKey: .splitBy) ?? []
    }

    /// The default rules for Chinese person records, keeping those whose parts the roles can fill.
    ///
    /// 1. exact ID; 2. ID one substitution or transposition apart (check-digit corrections;
    /// `id_deletions` gives the classic one-deletion neighbourhood instead); 3. name + birth; 4. pinyin + birth (homophones);
    /// 5. name + ID birth; 6. fuzzy pinyin + birth; 7. name + swapped-tolerant birth;
    /// 8. phone + surname; 9. phone one deletion apart + surname; 10. pinyin + birth year + area;
    /// 11. fuzzy pinyin + address; 12. other ID. Latin-script names (whose "pinyin" keys
    /// are ``LatinPhonetic`` keys: one per name token, and the whole name's as the fuzzy key)
    /// also get surname + birth, any name token's phonetic key + birth with month/day
    /// unordered, other ID one edit apart, any name token's phonetic key + address, the
    /// name's phonetic key + area (a postcode column counts as the area), birth + area, the
    /// address alone (blocks of at most 20) and the whole name alone (blocks of at most 20).
    public static func defaults(for roles: Set<FieldRole>, latinNames: Bool = false) -> [BlockingRule] {
        let hasName = roles.contains(.name) || roles.contains(.surname) || roles.contains(.givenName)
        let hasBirth = roles.contains(.birth) || roles.contains(.id)
        var rules: [BlockingRule] = []
        if roles.contains(.id) {
            rules.append(BlockingRule("id", on: [.id], maxBlockSize: 100))
            rules.append(BlockingRule("id_one_edit", on: [.idCorrections], maxBlockSize: 50))
        }
        if hasName && hasBirth {
            rules.append(BlockingRule("name_birth", on: [.name, .birth], splitBy: [.sex]))
            // Han names: two names sharing a pinyin reading share its fuzzy form, so
            // fuzzy_pinyin_birth below makes every pair pinyin_birth would; only Latin-script
            // phonetic keys (per token, against the whole name's fuzzy key) need both.
            if latinNames { rules.append(BlockingRule("pinyin_birth", on: [.pinyin, .birth], splitBy: [.sex])) }
            if roles.contains(.id) && roles.contains(.birth) {
                rules.append(BlockingRule("name_id_birth", on: [.name, .idBirth], splitBy: [.sex]))
            }
            rules.append(BlockingRule("fuzzy_pinyin_birth", on: [.fuzzyPinyin, .birth], splitBy: [.sex]))
            rules.append(BlockingRule("name_birth_unordered", on: [.name, .birthUnordered], splitBy: [.sex]))
        }
        if roles.contains(.phone) {
            if hasName {
                rules.append(BlockingRule("phone_surname", on: [.phone, .surname], maxBlockSize: 100))
                rules.append(BlockingRule("phone_one_edit_surname", on: [.phoneDeletions, .surname], maxBlockSize: 50))
            } else {
                rules.append(BlockingRule("phone", on: [.phone], maxBlockSize: 100))
            }
        }
        // Latin-script records: a postcode column fills the area slot when there is no area.
        let hasArea = roles.contains(.area) || (latinNames && roles.contains(.postcode))
        if hasName && hasBirth && hasArea {
            rules.append(BlockingRule("pinyin_year_area", on: [.pinyin, .birthYear, .area], splitBy: [.sex]))
        }
        if hasName && roles.contains(.address) {
            rules.append(BlockingRule("fuzzy_pinyin_address", on: [.fuzzyPinyin, .address], maxBlockSize: 100))
        }
        if roles.contains(.otherID) { rules.append(BlockingRule("other_id", on: [.otherID], maxBlockSize: 100)) }
        if latinNames && hasName && hasBirth {
            rules.append(BlockingRule("surname_birth", on: [.surname, .birth], maxBlockSize: 100, splitBy: [.sex]))
            rules.append(BlockingRule("phonetic_birth_unordered", on: [.pinyin, .birthUnordered], maxBlockSize: 100, splitBy: [.sex]))
        }
        if latinNames && roles.contains(.otherID) {
            rules.append(BlockingRule("other_id_one_edit", on: [.otherIDDeletions], maxBlockSize: 50))
        }
        if latinNames && hasName && roles.contains(.address) {
            rules.append(BlockingRule("phonetic_token_address", on: [.pinyin, .address], maxBlockSize: 100))
        }
        if latinNames && hasName && hasArea {
            rules.append(BlockingRule("phonetic_name_area", on: [.fuzzyPinyin, .area], maxBlockSize: 100))
        }
        if latinNames && hasBirth && hasArea {
            rules.append(BlockingRule("birth_area", on: [.birth, .area], maxBlockSize: 100))
        }
        if latinNames && roles.contains(.address) {
            // One address's rows (a household and its duplicates; larger blocks are dropped):
            // finds duplicates whose name and birth date are both damaged, and gives clustering
            // the scored household pairs that keep twins apart.
            rules.append(BlockingRule("address", on: [.address], maxBlockSize: 20))
        }
        if latinNames && hasName {
            // The whole name alone, for someone who moved and lost a birth date and an
            // identifier on the way: kept only where the name is rare (common names' blocks are
            // dropped, and listed in the report).
            rules.append(BlockingRule("rare_name", on: [.name], maxBlockSize: 20))
        }
        return rules
    }
}
