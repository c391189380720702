import Foundation
import ZhaorenSynth
import ZhaorenBench
import ZhaorenEvaluation
import ZhaorenCoverage

/// What ``DemoRun`` did: the city, the workflows with their counts and timings, the accuracy
/// against the truth, and where every output lies. ``text`` says it in Chinese and English.
public struct DemoReport: Sendable {
    /// Rows of one department file.
    public struct FileRows: Sendable {
        public var file: CityFile
        /// The file's name (`dibao.xlsx` in a real-shaped city).
        public var name: String
        public var rows: Int
        public var gb18030: Bool
    }

    /// A label and how many persons (or enterprises) have it.
    public struct LabelCount: Sendable {
        public var label: String
        public var count: Int
    }

    /// A recommended action and how many persons it is recommended to.
    public struct ActionCount: Sendable {
        public var action: CoverageAction
        public var count: Int
    }

    /// A dedupe or link run of the engine.
    public struct Linkage: Sendable {
        /// What was linked (e.g. `grid_survey`, `grid_survey → police`).
        public var what: String
        /// Records read.
        public var rows: Int
        /// Candidate pairs from blocking.
        public var candidatePairs: Int
        /// Pairs at or above the threshold.
        public var acceptedPairs: Int
        /// Clusters of two or more records.
        public var clusters: Int
        /// Wall-clock seconds, writing included.
        public var seconds: Double
        /// Pairwise accuracy against `truth/entities.csv`.
        public var accuracy: BenchPairwise
    }

    /// An output file or folder.
    public struct Output: Sendable {
        /// What it is, in Chinese and English.
        public var what: String
        /// Where it is (folders end in `/`).
        public var path: String
        /// Files inside, for folders.
        public var files: Int?
    }

    /// The demo folder.
    public var folder: URL
    /// Hidden persons and the seed.
    public var persons: Int
    public var seed: UInt64
    /// Enterprises generated.
    public var enterprisesGenerated = 0
    /// Rows per department file, in file order.
    public var files: [FileRows] = []
    /// Seconds to generate and write the city.
    public var generateSeconds = 0.0
    /// Rows the coverage workflow read and rejected.
    public var rowsRead = 0
    public var rowsRejected = 0
    /// Persons in the population base, and those with a recommended action.
    public var basePersons = 0
    public var needingAction = 0
    /// Coverage of working-age residents.
    public var coverage: CoverageSummary.Coverage?
    /// Persons per label, in rule order.
    public var labelCounts: [LabelCount] = []
    /// Persons per recommended action, most frequent first.
    public var topActions: [ActionCount] = []
    /// Enterprises seen, and per enterprise label.
    public var enterprises = 0
    public var enterpriseLabelCounts: [LabelCount] = []
    /// Per-label accuracy against the truth.
    public var personLabels: BenchLabels?
    public var enterpriseLabels: BenchLabels?
    /// Persons placed in a village, and how many of those villages are right.
    public var areas: AreaEvaluation?
    /// Seconds of the coverage workflow, from reading to the last file written.
    public var coverageSeconds = 0.0
    /// The engine's runs: the grid survey deduplicated, and linked to the police register.
    public var dedupe: Linkage?
    public var link: Linkage?
    /// Every output, the coverage report first.
    public var outputs: [Output] = []
    /// Wall-clock seconds of the whole demo.
    public var totalSeconds = 0.0

    init(folder: URL, persons: Int, seed: UInt64) {
        self.folder = folder
        self.persons = persons
        self.seed = seed
    }
}
