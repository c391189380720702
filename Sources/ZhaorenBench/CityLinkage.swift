import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth

/// The linkage engine's two standard jobs on a generated city, shared by `zhaoren bench` and
/// `zhaoren demo`: deduplicating the grid survey, and linking it to the police register; and
/// their pairwise accuracy against `truth/entities.csv`.
///
/// ```swift
/// let survey = try CityLinkage.gridSurvey(in: city)
/// let result = try LinkPipeline().dedupe(survey)
/// let truth = try CityLinkage.truth(in: city)
/// CityLinkage.accuracy(result, truth: truth).f1   // 0.99…
/// ```
public enum CityLinkage {
    /// The grid survey's column roles.
    public static let gridSurveyColumns = "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话,address=现居住地址"
    /// The police register's column roles.
    public static let policeColumns = "name=姓名,id=公民身份号码,sex=性别,birth=出生日期,address=户籍地址"

    /// The grid survey of the city in `folder` (`grid_survey.csv`, encoding detected).
    public static func gridSurvey(in folder: URL) throws(ZhaorenError) -> RecordSource {
        RecordSource(url: folder.appendingPathComponent(CityFile.gridSurvey.fileName), columns: try ColumnSpec(parsing: gridSurveyColumns))
    }

    /// The police register of the city in `folder` (`police.csv`, encoding detected).
    public static func police(in folder: URL) throws(ZhaorenError) -> RecordSource {
        RecordSource(url: folder.appendingPathComponent(CityFile.police.fileName), columns: try ColumnSpec(parsing: policeColumns))
    }

    /// The stacked population file of the city in `folder` (`population.csv`, written by
    /// ``StackedPopulation/write(city:)``).
    public static func stackedPopulation(in folder: URL) throws(ZhaorenError) -> RecordSource {
        RecordSource(url: folder.appendingPathComponent(StackedPopulation.fileName), columns: try ColumnSpec(parsing: StackedPopulation.columns))
    }

    /// The truth of the city in `folder` for the given files only (`truth/entities.csv` holds
    /// every row of every file; the engine's jobs need two of them), read with the streaming reader.
    /// - Complexity: O(rows of truth/entities.csv) time; memory for the kept rows only.
    public static func truth(in folder: URL, files: [CityFile] = [.gridSurvey, .police]) throws(ZhaorenError) -> GroundTruth {
        let wanted = Set(files.map(\.rawValue))
        var truth = GroundTruth()
        for file in files { _ = truth.sourceID(file.rawValue) }
        let url = folder.appendingPathComponent("truth/entities.csv")
        let reader = try CSVReader(url: url)
        guard reader.header.count >= 3 else {
            throw ZhaorenError(.malformedInput, "expected the columns source,row,entity_id", file: url.path, line: 1)
        }
        try reader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch {
                let source = row.string(0)
                guard wanted.contains(source) else { continue }
                guard let r = Int(row.string(1)) else {
                    throw ZhaorenError(.malformedInput, "row is not a number", file: url.path, line: row.line, column: 2)
                }
                truth.add(source: source, row: r, entity: row.string(2))
            }
        }
        return truth
    }

    /// Pairwise accuracy of a run's clusters: every pair of records put in one cluster is a
    /// predicted pair (for a link run, only pairs across the two files count), as
    /// `zhaoren evaluate --clusters` scores `clusters.csv`.
    /// - Complexity: O(records) dictionary work.
    public static func accuracy(_ result: LinkResult, truth: GroundTruth) -> BenchPairwise {
        let table = result.table
        var clusterOf: [UInt64: String] = [:]
        clusterOf.reserveCapacity(table.count)
        for i in 0..<table.count {
            guard let key = truth.key(source: table.sources[Int(table.source[i])], row: Int(table.row[i])) else { continue }
            clusterOf[key] = String(result.clusterRoot[i])
        }
        let p = Evaluation.clusters(clusterOf, truth: truth, crossSourceOnly: result.mode == .link).pairwise
        return BenchPairwise(truePositives: p.truePositives, falsePositives: p.falsePositives, falseNegatives: p.falseNegatives)
    }
}
