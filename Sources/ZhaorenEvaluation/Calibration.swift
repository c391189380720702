import Zhaoren

/// How well a run's match probabilities are calibrated: for scored pairs grouped by predicted
/// probability (tenths: 0–0.1, 0.1–0.2 … 0.9–1), the mean predicted probability beside the
/// share that are true pairs. A calibrated model has the two close in every bin; a bin whose
/// observed rate sits far above its prediction holds true pairs the model undervalues.
///
/// `pairs.csv` holds accepted pairs only (the bins at and above the threshold); a run with
/// `--write candidates` writes `candidates.csv`, every scored candidate pair, which fills
/// every bin.
///
/// ```swift
/// var c = Calibration()
/// c.add(probability: 0.95, isMatch: true)
/// c.add(probability: 0.15, isMatch: false)
/// c.bins[9].observed            // 1.0
/// c.expectedCalibrationError    // 0.1
/// ```
public struct Calibration: Codable, Sendable, Equatable {
    /// Pairs whose predicted probability lies in `lower ..< upper` (the last bin includes 1).
    public struct Bin: Codable, Sendable, Equatable {
        /// The bin's lowest probability.
        public var lower: Double
        /// The bin's upper bound.
        public var upper: Double
        /// Scored pairs in the bin.
        public var pairs: Int
        /// True pairs among them.
        public var matches: Int
        /// Sum of their predicted probabilities (for the mean).
        var predictedSum: Double

        /// The mean predicted probability of the bin's pairs (0 when empty).
        public var predicted: Double { pairs == 0 ? 0 : predictedSum / Double(pairs) }
        /// The share of the bin's pairs that are true pairs (0 when empty).
        public var observed: Double { pairs == 0 ? 0 : Double(matches) / Double(pairs) }

        enum CodingKeys: String, CodingKey { case lower, upper, pairs, matches, predictedSum = "predicted_sum", predicted, observed }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            lower = try c.decode(Double.self, forKey: .lower)
            upper = try c.decode(Double.self, forKey: .upper)
            pairs = try c.decode(Int.self, forKey: .pairs)
            matches = try c.decode(Int.self, forKey: .matches)
            predictedSum = try c.decode(Double.self, forKey: .predicted) * Double(pairs)
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lower, forKey: .lower)
            try c.encode(upper, forKey: .upper)
            try c.encode(pairs, forKey: .pairs)
            try c.encode(matches, forKey: .matches)
            try c.encode(predicted, forKey: .predicted)
            try c.encode(observed, forKey: .observed)
        }

        init(lower: Double, upper: Double) {
            self.lower = lower
            self.upper = upper
            pairs = 0
            matches = 0
            predictedSum = 0
        }
    }

    /// The ten bins, lowest first.
    public private(set) var bins: [Bin]

    /// Ten empty bins.
    public init() {
        bins = (0..<10).map { Bin(lower: Double($0) / 10, upper: Double($0 + 1) / 10) }
    }

    /// Counts one scored pair.
    public mutating func add(probability: Double, isMatch: Bool) {
        guard probability.isFinite else { return }
        let k = min(9, max(0, Int(probability * 10)))
        bins[k].pairs += 1
        bins[k].predictedSum += min(1, max(0, probability))
        if isMatch { bins[k].matches += 1 }
    }

    /// Pairs counted.
    public var pairs: Int { bins.reduce(0) { $0 + $1.pairs } }

    /// The pair-weighted mean of |predicted − observed| over the bins: 0 for a perfectly
    /// calibrated model.
    public var expectedCalibrationError: Double {
        let n = pairs
        guard n > 0 else { return 0 }
        return bins.reduce(0) { $0 + Double($1.pairs) * abs($1.predicted - $1.observed) } / Double(n)
    }

    /// True pairs scored below 0.5: the evidence the model undervalues (each one a miss at any
    /// threshold of 0.5 or above).
    public var matchesBelowHalf: Int { bins.prefix(5).reduce(0) { $0 + $1.matches } }

    enum CodingKeys: String, CodingKey {
        case bins, pairs, expectedCalibrationError = "expected_calibration_error", matchesBelowHalf = "matches_below_half"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bins = try c.decode([Bin].self, forKey: .bins)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bins, forKey: .bins)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(expectedCalibrationError, forKey: .expectedCalibrationError)
        try c.encode(matchesBelowHalf, forKey: .matchesBelowHalf)
    }
}
