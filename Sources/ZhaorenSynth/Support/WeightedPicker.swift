import ZhaorenSupport

/// Draws an index with probability proportional to its weight (cumulative sums, binary search).
///
/// ```swift
/// let picker = WeightedPicker([7.17, 7.0, 6.74])
/// var rng = SeededGenerator(seed: 1)
/// picker.pick(&rng)   // 0, 1 or 2
/// ```
/// - Complexity: O(log n) per draw.
struct WeightedPicker: Sendable {
    private let cumulative: [Double]

    /// A picker over `weights` (non-negative, not all zero).
    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { sum += max(0, $0); return sum }
    }

    /// The number of choices.
    var count: Int { cumulative.count }

    /// An index in `0..<count`.
    func pick(_ rng: inout SeededGenerator) -> Int {
        let target = rng.unit() * (cumulative.last ?? 0)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
