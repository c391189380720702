import Foundation

/// Reduces enterprise names to comparison keys (`EnterpriseName`).
///
/// Built once from the embedded region, legal-form and branch tables; immutable and `Sendable`.
/// Pass a `NameNormalizer` to also fold traditional characters (its per-character table).
///
/// Steps: NFKC (full-width → half-width), brackets 【】〔〕[]{} → `()`, whitespace removed,
/// ASCII lowercased; a trailing parenthesised group → `branch`; a parenthesised region in the
/// middle (`某某(宁夏)有限公司`) removed; a trailing branch marker (分公司, 分店, 营业部 …) with the
/// text after the last legal form (or the place just before it) → `branch`; legal-form suffixes
/// removed repeatedly; up to three leading region names (province, prefecture, county; full or
/// short form) removed while at least two characters remain.
public final class EnterpriseNameNormalizer: Sendable {
    /// Region names (full and short forms) by their first scalar, longest first.
    let regionsByFirst: [UInt32: [[Unicode.Scalar]]]
    /// The same by their last scalar, longest first.
    let regionsByLast: [UInt32: [[Unicode.Scalar]]]
    /// Legal-form suffixes, longest first.
    let legalForms: [[Unicode.Scalar]]
    /// Branch markers, longest first.
    let branchMarkers: [[Unicode.Scalar]]
    let characters: NameNormalizer?

    /// Builds the tables. `characters`: a name normalizer whose traditional → simplified
    /// table is applied to each character (optional). `regions`: a GB/T 2260 table whose names
    /// (current and historical, three characters or more, e.g. 彭阳县, 固原地区) are removed as
    /// prefixes too, besides the embedded provinces, prefectures and short forms (固原, 宁夏).
    public init(characters: NameNormalizer? = nil, regions table: RegionTable? = .shared) {
        var regions = Set<String>()
        for r in NameTables.regions() {
            regions.insert(r.full)
            if r.short.count >= 2 { regions.insert(r.short) }
        }
        for r in table?.allRegions ?? [] where r.name.count >= 3 && !r.name.hasSuffix("辖区") && !r.name.contains("直辖") {
            regions.insert(r.name)
        }
        func sorted(_ list: some Sequence<String>) -> [[Unicode.Scalar]] {
            list.map { Array($0.unicodeScalars) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1, by: { $0.value < $1.value }) }
        }
        let all = sorted(regions)
        regionsByFirst = Dictionary(grouping: all) { $0[0].value }
        regionsByLast = Dictionary(grouping: all) { $0[$0.count - 1].value }
        legalForms = sorted(NameTables.list(EmbeddedData.legalForms))
        branchMarkers = sorted(NameTables.list(EmbeddedData.branchSuffixes))
        self.characters = characters
    }

    /// Normalizes one enterprise name.
    /// - Complexity: O(n × table size) in the worst case (a few hundred region names per prefix
    ///   check); meant for the tens of thousands of distinct enterprise names of a city.
    public func normalize(_ original: String) -> EnterpriseName {
        var s: [Unicode.Scalar] = []
        var foldedScalars: [Unicode.Scalar] = []
        for u in original.precomposedStringWithCompatibilityMapping.unicodeScalars {
            var v = u.value
            switch v {
            case 0x3010, 0x3014, 0x5B, 0x7B, 0x3016, 0x300C, 0x300E: v = 0x28
            case 0x3011, 0x3015, 0x5D, 0x7D, 0x3017, 0x300D, 0x300F: v = 0x29
            case 0x41...0x5A: v += 0x20
            default: break
            }
            if NameNormalizer.isSpace(v) { continue }
            if let c = characters { v = c.simplify(v) }
            s.append(Unicode.Scalar(v)!)
        }
        foldedScalars = s

        var branch: [Unicode.Scalar] = []
        var region: [Unicode.Scalar] = []
        // Trailing parenthesised group: a branch or place (某某超市(彭阳)); a province there
        // (某某商贸(宁夏), its legal form left out) is the region, as in the middle.
        if s.last == ")", let open = s.lastIndex(of: "("), open > 0 {
            let inner = Array(s[(open + 1)..<(s.count - 1)])
            if !inner.isEmpty, Self.regionCodes(inner).contains(where: { $0 % 10000 == 0 }) {
                region += inner
                s.removeSubrange(open...)
            } else if !inner.isEmpty && matchLongest(legalForms, inner) != inner.count {
                branch = inner
                s.removeSubrange(open...)
            }
        }
        // Parenthesised region names in the middle: 某某(宁夏)有限公司.
        var i = 0
        while i < s.count {
            if s[i] == "(", let close = s[i...].firstIndex(of: ")") {
                let inner = Array(s[(i + 1)..<close])
                if !inner.isEmpty && matchLongest(regionsByFirst[inner[0].value] ?? [], inner) == inner.count {
                    region += inner
                    s.removeSubrange(i...close)
                    continue
                }
                s.remove(at: close)
                s.remove(at: i)
                continue
            }
            if s[i] == "(" || s[i] == ")" { s.remove(at: i); continue }
            i += 1
        }
        // Branch marker at the end: the branch starts after the last legal form before it
        // (…有限公司宁夏固原销售分公司), else at the place just before it (某某超市彭阳分店).
        if branch.isEmpty, let marker = suffixMatch(branchMarkers, s), s.count - marker >= 2 {
            let markerStart = s.count - marker
            var cut = -1
            var j = markerStart
            while j >= 2 {
                if suffixMatch(legalForms, Array(s[..<j])) != nil { cut = j; break }
                j -= 1
            }
            if cut < 0 {
                cut = markerStart
                let head = Array(s[..<markerStart])
                if let place = suffixMatch(regionsByLast[head[head.count - 1].value] ?? [], head), markerStart - place >= 2 {
                    cut -= place
                }
            }
            branch = Array(s[cut...])
            s.removeSubrange(cut...)
        }
        // Legal-form suffixes, repeatedly (…集团有限公司).
        var legal: [Unicode.Scalar] = []
        while let n = suffixMatch(legalForms, s), s.count - n >= 2 {
            legal.insert(contentsOf: s[(s.count - n)...], at: 0)
            s.removeLast(n)
        }
        // Leading region names (province, prefecture, county), each inside the one before it:
        // 宁夏固原 is one place, but in 宁夏固原安顺商贸 the 安顺 (a city in Guizhou) is the brand.
        var leading: [Unicode.Scalar] = []
        var outer: [Int32] = []
        for _ in 0..<3 {
            let n = s.isEmpty ? 0 : matchLongest(regionsByFirst[s[0].value] ?? [], s)
            guard n > 0, s.count - n >= 2 else { break }
            let codes = Self.regionCodes(Array(s[..<n]))
            if !outer.isEmpty, !codes.isEmpty, !codes.contains(where: { c in outer.contains { Self.within(c, $0) } }) { break }
            if !codes.isEmpty { outer = codes }
            leading += s[..<n]
            s.removeFirst(n)
        }
        region = leading + region

        func str(_ a: [Unicode.Scalar]) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: a)
            return String(v)
        }
        let key = str(s)
        return EnterpriseName(
            original: original, key: key, branch: str(branch), region: str(region),
            legalForm: str(legal), folded: str(foldedScalars),
            keyHash: key.isEmpty ? 0 : NameHash.fnv1a(key))
    }

    /// The region-table codes a whole name (full or short form) stands for.
    static func regionCodes(_ name: [Unicode.Scalar]) -> [Int32] {
        let values = name.map(\.value)
        let regions = RegionNames.shared
        guard let match = regions.trie.matches(values, at: 0).first, match.length == values.count else { return [] }
        return match.values.map { regions.entries[Int($0)].code }
    }

    /// Whether region `inner` lies within region `outer` (or is it).
    static func within(_ inner: Int32, _ outer: Int32) -> Bool {
        if outer % 10000 == 0 { return inner / 10000 == outer / 10000 }
        if outer % 100 == 0 { return inner / 100 == outer / 100 }
        return inner == outer
    }

    /// Length of the longest entry of `list` that is a prefix of `s` (0 if none).
    func matchLongest(_ list: [[Unicode.Scalar]], _ s: [Unicode.Scalar]) -> Int {
        for e in list where e.count <= s.count && s.starts(with: e) { return e.count }
        return 0
    }

    /// Length of the longest entry of `list` that is a suffix of `s`, or `nil`.
    func suffixMatch(_ list: [[Unicode.Scalar]], _ s: [Unicode.Scalar]) -> Int? {
        for e in list where e.count <= s.count && s[(s.count - e.count)...].elementsEqual(e) { return e.count }
        return nil
    }
}
