/// What blocking did: candidate pairs per rule and the largest blocks with what was done to them.
public struct BlockingReport: Codable, Sendable {
    /// Per-rule counts.
    public struct Rule: Codable, Sendable {
        /// The rule's name.
        public var name: String
        /// Keys generated (record × key).
        public var keys: Int
        /// Blocks with at least two records.
        public var blocks: Int
        /// Candidate pairs this rule produced first.
        public var pairs: Int
        /// Pairs in its blocks already produced by an earlier rule (or a smaller key of this one).
        public var duplicatePairs: Int
        /// Blocks above the size cap.
        public var oversizedBlocks: Int
        /// Records in dropped blocks or sub-blocks.
        public var droppedRecords: Int
        /// Linking two lists: the part one list has no value for, when the rule was skipped
        /// for it (it could pair no record across the lists).
        public var missingOnASide: String?

        /// Counts of one rule.
        public init(name: String, keys: Int, blocks: Int, pairs: Int, duplicatePairs: Int, oversizedBlocks: Int, droppedRecords: Int,
                    missingOnASide: String? = nil) {
            self.name = name
            self.keys = keys
            self.blocks = blocks
            self.pairs = pairs
            self.duplicatePairs = duplicatePairs
            self.oversizedBlocks = oversizedBlocks
            self.droppedRecords = droppedRecords
            self.missingOnASide = missingOnASide
        }

        enum CodingKeys: String, CodingKey {
            case name, keys, blocks, pairs, duplicatePairs = "duplicate_pairs", oversizedBlocks = "oversized_blocks"
            case droppedRecords = "dropped_records", missingOnASide = "missing_on_a_side"
        }
    }

    /// One large block.
    public struct Block: Codable, Sendable {
        /// The rule that made it.
        public var rule: String
        /// Records in it.
        public var size: Int
        /// The key's values, read from its first record (e.g. `name=王伟 birth=1985-03-07`).
        public var key: String
        /// `kept`, `split` (with the sizes of the largest sub-block) or `dropped`.
        public var action: String
    }

    /// Per rule, in rule order.
    public var rules: [Rule]
    /// The largest blocks over all rules, largest first (at most 20).
    public var largestBlocks: [Block]
    /// Total candidate pairs.
    public var candidatePairs: Int

    enum CodingKeys: String, CodingKey {
        case rules, largestBlocks = "largest_blocks", candidatePairs = "candidate_pairs"
    }
}
