import Foundation

/// Scores pairs with a trained model: match weight, probability, and the weight each
/// comparison contributed (with term-frequency adjustment for names where enabled).
///
/// ```swift
/// let scorer = PairScorer(model: model, comparator: comparator)
/// let w = scorer.weight(pattern: p, a, b)
/// scorer.model.probability(weight: w)
/// ```
package struct PairScorer: Sendable {
    /// The trained parameters.
    public let model: FellegiSunterModel
    /// The comparator (and so the records).
    public let comparator: Comparator
    /// Term frequencies of names, when any comparison uses them.
    public let termFrequencies: TermFrequencies?
    @usableFromInline let levelWeights: [[Double]]
    /// The level weights without `max_weight` caps (used when an identifier agrees exactly).
    @usableFromInline let uncappedWeights: [[Double]]
    /// Comparisons of an identifier (the resident ID, another ID): their exact level lifts the
    /// caps (see ``contribution(_:pattern:details:)``). Bit `c` set for comparison `c`.
    @usableFromInline let identifierMask: UInt64
    /// Whether any comparison has a `max_weight`.
    @usableFromInline let hasCaps: Bool
    /// Per comparison: the levels a term-frequency adjustment applies to (`nil`: none), and
    /// whether it compares birth dates (read per contribution: no model spec is copied).
    @usableFromInline let tfLevels: [ClosedRange<Int>?]
    @usableFromInline let isBirth: [Bool]
    /// What the details of a pair are made from.
    public let pairDetails: PairDetails

    /// Creates a scorer; term frequencies are counted from the comparator's table unless
    /// given (a sharded run gives the whole input's).
    public init(model: FellegiSunterModel, comparator: Comparator, termFrequencies given: TermFrequencies? = nil) {
        self.model = model
        self.comparator = comparator
        let uncapped = model.comparisons.indices.map { c in (0..<model.m[c].count).map { l in model.weight(c, level: l) } }
        uncappedWeights = uncapped
        levelWeights = model.comparisons.indices.map { c in
            uncapped[c].map { w in model.comparisons[c].maxWeight.map { Swift.min(w, $0) } ?? w }
        }
        hasCaps = model.comparisons.contains { $0.maxWeight != nil }
        var mask: UInt64 = 0
        for (c, spec) in model.comparisons.enumerated()
            where spec.kind == .residentID || (spec.kind == .text && spec.role == .otherID) { mask |= 1 << UInt64(c) }
        identifierMask = mask
        let levels = model.comparisons.map { $0.termFrequency ? $0.kind.termFrequencyLevels : nil }
        tfLevels = levels
        isBirth = model.comparisons.map { $0.kind == .birthDate }
        precondition(given == nil || comparator.table.encoded == nil,
                     "term frequencies of folded names are given for plaintext records only (encoded records count their tokens)")
        termFrequencies = levels.contains { $0 != nil } ? given ?? TermFrequencies(table: comparator.table) : nil
        pairDetails = PairDetails(comparisons: model.comparisons, comparator: comparator)
    }

    /// Whether a pair's first record's birth date and the second's are both their IDs' dates
    /// (with the ID comparison at one edit or better): bit 31 of ``details(pattern:_:_:)``.
    public static let birthFromIDs: UInt32 = 1 << 31
    /// No folded name (the first record has none, or no comparison uses term frequencies).
    public static let noName: UInt32 = (1 << 31) - 1

    /// What a pair's contributions need from its records beyond the levels, packed in 32 bits:
    /// the folded name of the first record (for term frequencies) and ``birthFromIDs``.
    /// Computed once when the pair is scored, so explaining the pair later reads no record.
    @inlinable
    public func details(pattern: UInt64, _ a: Int, _ b: Int) -> UInt32 {
        pairDetails.details(pattern: pattern, a, b)
    }

    /// Whether an identifier comparison of `pattern` is at its exact (top) level.
    @inlinable
    func identifierAgrees(_ pattern: UInt64) -> Bool {
        var mask = identifierMask
        while mask != 0 {
            let c = mask.trailingZeroBitCount
            if Int(Comparator.level(pattern, c)) == uncappedWeights[c].count - 1 { return true }
            mask &= mask - 1
        }
        return false
    }

    /// The weight comparison `c` contributes for a pair at `pattern` with `details` (from
    /// ``details(pattern:_:_:)``): the level's `log2(m/u)`, plus the term-frequency
    /// adjustment; a birth date that only repeats what two agreeing IDs say contributes 0.
    ///
    /// A comparison's `max_weight` (a household's shared address) caps its weight unless an
    /// identifier agrees exactly: the cap keeps relatives apart, and relatives do not share an
    /// identifier, so beside an equal one the field weighs what EM learned.
    @inlinable
    public func contribution(_ c: Int, pattern: UInt64, details d: UInt32) -> Double {
        let l = Comparator.level(pattern, c)
        if l != 0, d & Self.birthFromIDs != 0, isBirth[c] { return 0 }
        var w = levelWeights[c][l]
        if hasCaps, w != uncappedWeights[c][l], identifierAgrees(pattern) { w = uncappedWeights[c][l] }
        let name = d & ~Self.birthFromIDs
        if name != Self.noName, let levels = tfLevels[c], levels.contains(l), termFrequencies != nil {
            w += termFrequencies!.adjustment(u: model.u[c][l], foldedName: name)
        }
        return w
    }

    /// The weight comparison `c` contributes for records `a`, `b` at `pattern`.
    @inlinable
    public func contribution(_ c: Int, pattern: UInt64, _ a: Int, _ b: Int) -> Double {
        contribution(c, pattern: pattern, details: details(pattern: pattern, a, b))
    }

    /// The match weight (prior included) of a pair at `pattern` with `details`.
    @inlinable
    public func weight(pattern: UInt64, details d: UInt32) -> Double {
        var w = model.priorWeight
        for c in levelWeights.indices { w += contribution(c, pattern: pattern, details: d) }
        return w
    }

    /// The match weight (prior included) of records `a`, `b` with levels `pattern`.
    @inlinable
    public func weight(pattern: UInt64, _ a: Int, _ b: Int) -> Double {
        weight(pattern: pattern, details: details(pattern: pattern, a, b))
    }
}

/// What a pair's contributions need from its records beyond the levels
/// (``PairScorer/details(pattern:_:_:)``), worked out from the comparisons alone, without a
/// model: the compare pass makes the details while the pair's records are in cache, so scoring
/// reads no record.
///
/// ```swift
/// let details = PairDetails(comparisons: comparator.specs, comparator: comparator)
/// let d = details.details(pattern: comparator.pattern(0, 1, scratch: &scratch), 0, 1)
/// ```
package struct PairDetails: Sendable {
    /// The records.
    public let comparator: Comparator
    /// Whether any comparison adjusts by term frequencies (then the first record's folded name is kept).
    @usableFromInline let termFrequencies: Bool
    /// Encoded records: each record's folded-name token index.
    @usableFromInline let encodedFoldedName: [UInt32]?
    /// The resident-ID comparison, when a birth-date comparison is made beside it.
    @usableFromInline let idComparison: Int?

    /// The details made for `comparisons` (those of the model that will score) over `comparator`'s records.
    public init(comparisons: [ComparisonSpec], comparator: Comparator) {
        self.comparator = comparator
        termFrequencies = comparisons.contains { $0.termFrequency && $0.kind.termFrequencyLevels != nil }
        encodedFoldedName = comparator.table.encoded?.foldedName
        idComparison = comparisons.contains { $0.kind == .birthDate } ? comparisons.firstIndex { $0.kind == .residentID } : nil
    }

    /// The details of records `a`, `b` at `pattern`: the first record's folded name (when term
    /// frequencies are used) and ``PairScorer/birthFromIDs``.
    @inlinable
    public func details(pattern: UInt64, _ a: Int, _ b: Int) -> UInt32 {
        var d = PairScorer.noName
        if termFrequencies {
            if let folded = encodedFoldedName {
                // Encoded records: the first record's folded-name token, by its index.
                if folded[a] != RecordTable.missingID { d = folded[a] }
            } else {
                let n = comparator.table.name[a]
                if n != RecordTable.missingID { d = comparator.table.names.foldedID[Int(n)] }
            }
        }
        if let id = idComparison, Comparator.level(pattern, id) >= 3, comparator.birthComesFromIDs(a, b) {
            d |= PairScorer.birthFromIDs
        }
        return d
    }
}
