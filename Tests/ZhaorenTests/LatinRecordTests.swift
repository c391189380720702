import Foundation
import Testing
import ZhaorenTestSupport
@testable import Zhaoren

/// Latin-script person records: phonetic keys, token-wise name levels, identifier folding,
/// the other-ID one-edit blocking key and the Latin defaults.
@Suite struct LatinRecordTests {
    @Test func phoneticKeysMeetSpellingVariants() {
        #expect(LatinPhonetic.key("catherine") == "2365")
        #expect(LatinPhonetic.key("katherine") == "2365")
        #expect(LatinPhonetic.key("smith") == LatinPhonetic.key("smyth"))
        #expect(LatinPhonetic.key("philip") == LatinPhonetic.key("filip"))
        #expect(LatinPhonetic.key("knight") == LatinPhonetic.key("night"))
        #expect(LatinPhonetic.key("Wright") == LatinPhonetic.key("right"))
        #expect(LatinPhonetic.key("anne") == "0500")
        #expect(LatinPhonetic.key("smith") != LatinPhonetic.key("jones"))
        #expect(LatinPhonetic.key("j") == "")   // initials get no key
    }

    func level(_ a: String, _ b: String) throws -> Int {
        let t = handTable([(a, NormalizedName.basic(a), nil, nil, nil, nil, nil), (b, NormalizedName.basic(b), nil, nil, nil, nil, nil)])
        let c = try Comparator(specs: [ComparisonSpec(name: "name", kind: .latinName)], table: t)
        var s = KernelScratch()
        return Int(c.level(0, 0, 1, scratch: &s))
    }

    @Test func latinNameLevelsPairTokens() throws {
        #expect(try level("Smith John", "smith  JOHN") == 6)
        #expect(try level("Smith John", "John Smith") == 5)          // swapped
        #expect(try level("Smith Catherine", "Smith Katherine") == 5)
        #expect(try level("Smith John", "Smiht Jhon") == 5)          // a typo in each token
        #expect(try level("Smith John", "Smith J") == 4)             // an initial
        #expect(try level("Smith John", "Smith") == 4)               // given name missing
        // Same surname, wholly different given name: a relative or a replaced name, a level of
        // its own whose weight EM finds in the data.
        #expect(try level("Smith John", "Smith Mary") == 2)
        #expect(try level("Smith Magi", "Smith Mary") == 3)          // same surname, given names vaguely alike (JW 0.73)
        #expect(try level("Smith John", "Jones Mary") == 1)
        #expect(try level("Smith John", "Smith Jonathan") >= 2)
        // Equal names of one token (a surname, the given name blank on both) weigh as a name
        // with a token missing, not as a whole name.
        #expect(try level("Gillard", "gillard") == 4)
        #expect(try level("Emiily", "Emiily") == 4)
    }

    /// A model with a name, an address capped at 6 bits (learned: 10) and another identifier.
    func cappedScorer() throws -> (PairScorer, Zhaoren.Comparator) {
        var t = RecordTable()
        let s = t.addSource("x")
        for (name, address, id) in [("smith john", "12 oak st springfield", "900123456"), ("smith mary", "12 oak st springfield", "900123456"),
                                    ("smith mary", "12 oak st springfield", "900654321")] {
            var f = RecordTable.Fields()
            f.name = name
            f.normalizedName = NormalizedName.basic(name)
            f.address = address
            f.otherID = id
            t.append(source: s, row: t.count + 1, f)
        }
        let specs = [ComparisonSpec(name: "address", kind: .address, maxWeight: 6), ComparisonSpec(name: "other_id", kind: .text, role: .otherID)]
        let comparator = try Comparator(specs: specs, table: t)
        // address exact: log2(0.5 / 0.0005) ≈ 9.97 bits; other ID exact: log2(0.9 / 0.001).
        let model = FellegiSunterModel(comparisons: specs, lambda: 0.01,
                                       m: [[0, 0.1, 0.2, 0.2, 0.5], [0, 0.05, 0.02, 0.03, 0.9]],
                                       u: [[0, 0.99, 0.008, 0.0015, 0.0005], [0, 0.997, 0.001, 0.001, 0.001]])
        return (PairScorer(model: model, comparator: comparator), comparator)
    }

    @Test func anExactIdentifierLiftsTheHouseholdCap() throws {
        let (scorer, comparator) = try cappedScorer()
        var s = KernelScratch()
        let same = comparator.pattern(0, 1, scratch: &s), other = comparator.pattern(1, 2, scratch: &s)
        #expect(Comparator.level(same, 0) == 4 && Comparator.level(same, 1) == 4)
        #expect(Comparator.level(other, 0) == 4 && Comparator.level(other, 1) < 4)
        // Beside an equal identifier the shared address weighs what the model learned ...
        #expect(abs(scorer.contribution(0, pattern: same, 0, 1) - log2(0.5 / 0.0005)) < 1e-9)
        // ... and beside a different one it is capped: a household shares it.
        #expect(scorer.contribution(0, pattern: other, 1, 2) == 6)
    }

    @Test func otherIdentifiersIgnoreSeparators() {
        var t = TextTable(identifiers: true)
        let a = t.intern("900-12-3456"), b = t.intern("900 12 3456"), c = t.intern("900123456")
        #expect(a == b && b == c)
        #expect(t.text[Int(a!)] == "900123456")
        var plain = TextTable()
        #expect(plain.intern("900-12-3456") != plain.intern("900123456"))
        #expect(RecordTable().otherIDs.identifiers)
    }

    @Test func otherIDDeletionKeysMeetOneEditApart() {
        var t = RecordTable()
        let s = t.addSource("x")
        for v in ["900123456", "900123457", "900213456", "90012345", "911123456", "123456789"] {
            var f = RecordTable.Fields()
            f.otherID = v
            t.append(source: s, row: t.count + 1, f)
        }
        let rule = BlockingRule("o", on: [.otherIDDeletions])
        let (pairs, _) = Blocker(rules: [rule]).candidates(t)
        var got = Set<String>()
        for k in 0..<pairs.count { got.insert("\(pairs.packed[k] >> 32)-\(pairs.packed[k] & 0xFFFF_FFFF)") }
        // substitution, transposition, deletion meet; two edits and a different number do not
        #expect(got.contains("0-1") && got.contains("0-2") && got.contains("0-3"))
        #expect(!got.contains("0-4") && !got.contains("0-5"))
        let keys = BlockingKeys(table: t, rules: [rule])
        #expect(keys.agree(rule: 0, 0, 1) && !keys.agree(rule: 0, 0, 5))
    }

    @Test func otherIDLevelsCountEdits() throws {
        var t = RecordTable()
        let s = t.addSource("x")
        // exact (separators ignored), one substitution, a transposition, two edits, another number, blank
        for v in ["900-12-3456", "900123456", "900123457", "900213456", "901123457", "123456789", ""] {
            var f = RecordTable.Fields()
            f.otherID = v
            t.append(source: s, row: t.count + 1, f)
        }
        let c = try Comparator(specs: [ComparisonSpec(name: "other_id", kind: .text, role: .otherID)], table: t)
        var scratch = KernelScratch()
        #expect((1...6).map { Int(c.level(0, 0, $0, scratch: &scratch)) } == [4, 3, 3, 2, 1, 0])
        #expect(ComparisonKind.text.levelNames == ["missing", "else", "two_edits", "one_edit", "exact"])
    }

    @Test func latinDefaultsAddRulesChineseDefaultsUnchanged() {
        let roles: Set<FieldRole> = [.givenName, .surname, .birth, .address, .postcode, .otherID]
        let latin = BlockingRule.defaults(for: roles, latinNames: true).map(\.name)
        for name in ["phonetic_birth_unordered", "other_id_one_edit", "phonetic_token_address", "phonetic_name_area", "birth_area", "pinyin_year_area", "address", "rare_name"] {
            #expect(latin.contains(name), "\(name)")
        }
        #expect(BlockingRule.defaults(for: roles, latinNames: true).last == BlockingRule("rare_name", on: [.name], maxBlockSize: 20))
        let chinese = BlockingRule.defaults(for: [.name, .id, .birth, .phone, .address, .postcode, .otherID, .area])
        #expect(chinese.map(\.name) == ["id", "id_one_edit", "name_birth", "name_id_birth", "fuzzy_pinyin_birth",
                                        "name_birth_unordered", "phone_surname", "phone_one_edit_surname", "pinyin_year_area",
                                        "fuzzy_pinyin_address", "other_id"])
        let specs = ComparisonSpec.defaults(for: roles, latinNames: true)
        #expect(specs.first { $0.name == "address" }?.maxWeight == 6)
        #expect(ComparisonSpec.defaults(for: roles).first { $0.name == "address" }?.maxWeight == nil)
        #expect(ComparisonKind.latinName.defaultThresholds == [0.92, 0.80, 0.92])
    }

    @Test func latinNamesGetTokenPhoneticKeys() throws {
        let names = try NameNormalizer()
        let a = NormalizedName(names.normalize("Smith Catherine"), pinyin: names.pinyin)
        let b = NormalizedName(names.normalize("Katherine Smyth"), pinyin: names.pinyin)
        #expect(a.isLatin && a.readingKeys.count == 2)
        #expect(Set(a.readingKeys) == Set(b.readingKeys))
        #expect(a.fuzzyKeys == b.fuzzyKeys && a.fuzzyKeys.count == 1)
    }
}

/// Address folding: English street words abbreviated, other scripts untouched.
@Suite struct StreetWordTests {
    @Test func streetWordsAreAbbreviated() {
        var t = TextTable(addresses: true)
        let a = t.intern("12 Oak Street Springfield"), b = t.intern("12 OAK ST Springfield"), c = t.intern("12 Oak St. Springfield")
        #expect(a == b && b == c)
        #expect(t.text[Int(a!)] == "12oakstspringfield")
        #expect(t.intern("North Avenue") == t.intern("N Ave"))
        #expect(t.intern("Streeter Road") != t.intern("St Road"))   // whole words only
        let han = "北京市朝阳区建国路1号"
        #expect(TextTable.abbreviatingStreetWords(han) == han)
        #expect(TextTable.abbreviatingStreetWords("北京市 朝阳区 建国路1号") == "北京市 朝阳区 建国路1号")
        #expect(RecordTable().addresses.addresses)
    }

    @Test func asciiFastPathsMatchTheUnicodePaths() {
        // Folding takes a byte-wise path for ASCII; a non-ASCII character (é, a fullwidth digit)
        // sends the same text down the Unicode path, with the same result. Street words are
        // abbreviated the same way beside other scripts.
        #expect(TextTable.abbreviatingStreetWords("12 Oak Street, Apartment 4") == "12 Oak st, apt 4")
        #expect(TextTable.abbreviatingStreetWords("12 Oak Street, Apartment 4 é") == "12 Oak st, apt 4 é")
        #expect(TextTable.fold("12 OAK\tSt  Springfield") == "12oakstspringfield")
        #expect(TextTable.fold("１2 OAK\tSt  Springfield") == "12oakstspringfield")
        var ids = TextTable(identifiers: true)
        #expect(ids.folded("AB-12 34/5") == "ab12345")
        #expect(ids.folded("AB-12 34/５") == "ab12345")
        #expect(ids.intern("AB-12 34/5") == ids.intern("ab 12345"))
    }
}

/// The embedded nickname table and its use in the Latin-name comparison.
@Suite struct LatinNicknamesTests {
    @Test func nicknamesAreCloseTokens() throws {
        let n = LatinNicknames.shared
        #expect(n.count > 2_000)
        #expect(n.related("william", "bill") && n.related("bill", "william") && n.related("catherine", "kathy"))
        #expect(!n.related("william", "mary"))
        let rows = ["Smith William", "Smith Bill", "Smith Mary"]
        let t = handTable(rows.map { ($0, NormalizedName.basic($0), nil, nil, nil, nil, nil) })
        let c = try Comparator(specs: [ComparisonSpec(name: "name", kind: .latinName)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 4)
        #expect(c.level(0, 0, 2, scratch: &s) == 2)   // one token agrees beside a wholly different one
    }
}

/// One edit in a short token still counts as near-equal.
@Suite struct LatinOneEditTests {
    @Test func oneEditInAShortToken() throws {
        let rows = ["Fox Chester", "Rox Chester", "Fox Chestre", "Fx Chester", "Cole Mary", "Cole Magi"]
        let t = handTable(rows.map { ($0, NormalizedName.basic($0), nil, nil, nil, nil, nil) })
        let c = try Comparator(specs: [ComparisonSpec(name: "name", kind: .latinName)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 5)   // fox / rox: one substitution
        #expect(c.level(0, 0, 2, scratch: &s) == 5)   // a transposition in the long token
        #expect(c.level(0, 0, 3, scratch: &s) <= 4)   // two-letter token: no one-edit rule
        #expect(c.level(0, 4, 5, scratch: &s) == 3)   // mary / magi: two edits
    }
}
