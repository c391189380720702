import Foundation

/// Everything that decides how records are linked, as one JSON document (`--settings`):
/// comparisons and their levels, blocking rules, the threshold, training options and,
/// optionally, a trained model to score with instead of training.
///
/// Missing keys take defaults that suit Chinese person records; `zhaoren dedupe
/// --print-settings` prints the settings actually used, to start from.
///
/// ```json
/// {"threshold": 0.9, "cannot_link": 0.01,
///  "comparisons": [{"name": "name", "kind": "chinese_name", "term_frequency": true},
///                  {"name": "id", "kind": "resident_id"}],
///  "blocking": [{"name": "id", "on": ["id"]}, {"name": "pinyin_birth", "on": ["pinyin", "birth"]}]}
/// ```
public struct LinkSettings: Codable, Sendable, Equatable {
    /// Match probability at or above which a pair is accepted; `nil`: 0.9, or 0.5 when most
    /// names are Latin script (such records seldom carry a national ID, so recall needs the
    /// lower bar; the cannot-link rule of clustering keeps the precision).
    public var threshold: Double?
    /// Clustering: a pair scored below this probability is a cannot-link pair, and a merge that
    /// would join its two records is refused unless accepted pairs across the two clusters
    /// outnumber such pairs (see ``Clustering/components(count:pairs:weights:cannotLink:)``);
    /// 0 turns the rule off (plain connected components).
    public var cannotLink: Double
    /// Comparisons; `nil`: defaults for the roles present.
    public var comparisons: [ComparisonSpec]?
    /// Blocking rules, in order; `nil`: defaults for the roles present.
    public var blocking: [BlockingRule]?
    /// Training sessions for m; `nil`: ``TrainingRule/defaults(for:)``.
    public var training: [TrainingRule]?
    /// Random pairs sampled for u.
    public var randomPairs: Int
    /// Seed of the sampling.
    public var seed: UInt64
    /// EM iteration cap.
    public var maxIterations: Int
    /// Linking: keep each record in at most one accepted pair (greedy by weight).
    public var oneToOne: Bool
    /// A trained model: when set, scoring uses it and training is skipped.
    public var model: FellegiSunterModel?
    /// Whether `summary.json` shows the values behind the largest blocks in full (ID numbers,
    /// phones, names, birth dates); by default they are masked.
    public var unmask: Bool = false

    /// The defaults.
    public init(threshold: Double? = nil, cannotLink: Double = 0.01, comparisons: [ComparisonSpec]? = nil, blocking: [BlockingRule]? = nil,
                randomPairs: Int = 1_000_000, seed: UInt64 = 1, maxIterations: Int = 200, oneToOne: Bool = false,
                model: FellegiSunterModel? = nil) {
        self.threshold = threshold
        self.cannotLink = cannotLink
        self.comparisons = comparisons
        self.blocking = blocking
        training = nil
        self.randomPairs = randomPairs
        self.seed = seed
        self.maxIterations = maxIterations
        self.oneToOne = oneToOne
        self.model = model
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case threshold, cannotLink = "cannot_link", comparisons, blocking, training, randomPairs = "random_pairs", seed, maxIterations = "max_iterations"
        case oneToOne = "one_to_one", model, unmask
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LinkSettings()
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
        cannotLink = try c.decodeIfPresent(Double.self, forKey: .cannotLink) ?? d.cannotLink
        comparisons = try c.decodeIfPresent([ComparisonSpec].self, forKey: .comparisons)
        blocking = try c.decodeIfPresent([BlockingRule].self, forKey: .blocking)
        training = try c.decodeIfPresent([TrainingRule].self, forKey: .training)
        randomPairs = try c.decodeIfPresent(Int.self, forKey: .randomPairs) ?? d.randomPairs
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        maxIterations = try c.decodeIfPresent(Int.self, forKey: .maxIterations) ?? d.maxIterations
        oneToOne = try c.decodeIfPresent(Bool.self, forKey: .oneToOne) ?? d.oneToOne
        model = try c.decodeIfPresent(FellegiSunterModel.self, forKey: .model)
        unmask = try c.decodeIfPresent(Bool.self, forKey: .unmask) ?? false
    }

    /// Loads settings from a JSON file.
    public static func load(_ url: URL) throws(ZhaorenError) -> LinkSettings {
        let data = Data(try TextFile.read(url).utf8)
        let s: LinkSettings
        do { s = try JSONDecoder().decode(LinkSettings.self, from: data) } catch let DecodingError.dataCorrupted(ctx) {
            let at = Self.path(ctx)
            throw ZhaorenError(.settings, (at.isEmpty ? "" : "at \(at): ") + Self.short(ctx.debugDescription), file: url.path)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw ZhaorenError(.settings, "missing \"\(key.stringValue)\" at \(Self.path(ctx))", file: url.path)
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw ZhaorenError(.settings, "wrong type at \(Self.path(ctx)): \(Self.short(ctx.debugDescription))", file: url.path)
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw ZhaorenError(.settings, "missing value at \(Self.path(ctx))", file: url.path)
        } catch {
            throw ZhaorenError(.settings, "not valid settings JSON", file: url.path)
        }
        if let t = s.threshold, !(t > 0 && t < 1) {
            throw ZhaorenError(.settings, "\"threshold\" must be between 0 and 1, got \(t)", file: url.path)
        }
        if !(s.cannotLink >= 0 && s.cannotLink < (s.threshold ?? latinThreshold)) {
            throw ZhaorenError(.settings, "\"cannot_link\" must be at least 0 and below the threshold, got \(s.cannotLink)", file: url.path)
        }
        return s
    }

    /// A decoding message cut short: it never quotes more than a few words of the file.
    static func short(_ text: String) -> String { text.count > 300 ? String(text.prefix(300)) + "…" : text }

    private static func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// These settings with defaults filled in for the roles present.
    public func resolved(roles: Set<FieldRole>, latinNames: Bool) -> LinkSettings {
        var s = self
        if s.threshold == nil { s.threshold = latinNames ? Self.latinThreshold : Self.defaultThreshold }
        if s.comparisons == nil { s.comparisons = ComparisonSpec.defaults(for: roles, latinNames: latinNames) }
        if s.blocking == nil { s.blocking = BlockingRule.defaults(for: roles, latinNames: latinNames) }
        if s.training == nil { s.training = TrainingRule.defaults(for: s.comparisons!) }
        return s
    }

    /// The threshold when none is given: 0.9.
    public static let defaultThreshold = 0.9
    /// The threshold when none is given and most names are Latin script: 0.5.
    public static let latinThreshold = 0.5

    /// The threshold in force: the one given, else ``defaultThreshold``.
    public var acceptance: Double { threshold ?? Self.defaultThreshold }

    /// Pretty, key-sorted JSON.
    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }
}
