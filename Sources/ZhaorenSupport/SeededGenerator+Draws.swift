extension SeededGenerator {
    /// A uniform double in [0, 1).
    @inlinable
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `true` with probability `p`.
    @inlinable
    package mutating func chance(_ p: Double) -> Bool { p > 0 && unit() < p }

    /// A uniform integer in `0..<n` (`n > 0`).
    @inlinable
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A uniform integer in `range`.
    @inlinable
    package mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Shuffles `array` in place (Fisher–Yates), deterministically for this generator.
    package mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
