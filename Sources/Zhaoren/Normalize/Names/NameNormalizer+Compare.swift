extension NameNormalizer {
    /// Whether two names can be read alike: same number of positions and, at each position,
    /// the same character or a shared reading (any heteronym, surname reading included).
    /// Latin names: equal `pinyin` (tokens concatenated).
    ///
    /// ```swift
    /// names.sharesReading(names.normalize("单田芳"), names.normalize("善田芳"))   // true (shan)
    /// names.sharesReading(names.normalize("曾伟"), names.normalize("层伟"))       // true (ceng)
    /// ```
    /// - Complexity: O(positions × readings per character); no allocation.
    public func sharesReading(_ a: PersonName, _ b: PersonName) -> Bool {
        if a.script == .empty || b.script == .empty { return false }
        if a.units.isEmpty || b.units.isEmpty { return a.pinyin == b.pinyin }
        guard a.units.count == b.units.count else { return false }
        for i in 0..<a.units.count {
            let ua = a.units[i], ub = b.units[i]
            if ua == ub { continue }
            let sa = a.syllables[i], sb = b.syllables[i]
            if sa != 0 && sa == sb { continue }
            var shared = false
            if sa != 0 && pinyin.canRead(ub, as: sa) { shared = true }
            if !shared && sb != 0 && pinyin.canRead(ua, as: sb) { shared = true }
            if !shared {
                for r in pinyin.readings(ua) where r == sb || pinyin.readings(ub).contains(r) {
                    shared = true
                    break
                }
            }
            if !shared { return false }
        }
        return true
    }

    /// Whether two surnames are distinct but often confused in registers (萧/肖, 闫/阎, 於/于):
    /// a WEAK equivalence for the engine to score, never a fold. False for equal surnames.
    ///
    /// ```swift
    /// NameNormalizer.confusableSurnames("萧", "肖")   // true
    /// NameNormalizer.confusableSurnames("张", "章")   // false (a homophone, not a confusable)
    /// ```
    public static func confusableSurnames(_ a: String, _ b: String) -> Bool {
        confusablePairs.contains(a + "\t" + b)
    }

    /// Confusable surname pairs, both orders, as "a\tb".
    static let confusablePairs: Set<String> = {
        var s = Set<String>()
        for (a, b) in NameTables.confusableSurnames() {
            s.insert(a + "\t" + b)
            s.insert(b + "\t" + a)
        }
        return s
    }()

    /// The name without a leading married-name prefix (冠夫姓, Hong Kong / Taiwan style):
    /// for a 4-character Han name whose first two characters are both known single surnames and
    /// not a compound surname, the name with the first character removed; otherwise `nil`.
    ///
    /// ```swift
    /// names.withoutMarriedPrefix(names.normalize("陈张美玲"))?.folded   // "张美玲"
    /// names.withoutMarriedPrefix(names.normalize("欧阳娜娜"))           // nil (compound surname)
    /// ```
    public func withoutMarriedPrefix(_ name: PersonName) -> PersonName? {
        guard name.script == .han, !name.flags.contains(.separated), name.units.count == 4 else { return nil }
        let u = name.units
        guard isKnownSurname(u[0]), isKnownSurname(u[1]), !isCompoundSurname(u[0], u[1]) else { return nil }
        var rest = String.UnicodeScalarView()
        for v in u[1...] { rest.append(Unicode.Scalar(v)!) }
        return normalize(String(rest))
    }
}
