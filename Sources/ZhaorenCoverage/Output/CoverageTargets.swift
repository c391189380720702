import Foundation
import Zhaoren

/// The targets table (任务分解表): new enrolments expected per area.
///
/// A CSV with a header naming an area column (`area`, 地区, 区域 or 单位) and a target column
/// (`target`, 目标, 任务数 or 目标任务). An area is a county, township or village name, or a
/// path of names separated by `/` (`原州区/清河镇`) where a plain name would be ambiguous.
///
/// ```
/// area,target
/// 原州区,120
/// 原州区/清河镇,40
/// 东关村,8
/// ```
struct CoverageTargets {
    struct Row {
        var area: String
        var target: Int
    }

    var rows: [Row]

    static let areaHeaders = ["area", "地区", "区域", "单位"]
    static let targetHeaders = ["target", "目标", "任务数", "目标任务"]

    /// Reads and checks the table; a row without a whole-number target is an error with its line.
    init(contentsOf file: URL) throws(ZhaorenError) {
        let reader = try CSVReader(url: file)
        let header = reader.header.map { $0.lowercased() }
        guard let a = header.firstIndex(where: Self.areaHeaders.contains),
              let t = header.firstIndex(where: Self.targetHeaders.contains)
        else {
            throw ZhaorenError(.missingColumn, "the targets table needs an area column (\(Self.areaHeaders.joined(separator: ", "))) "
                               + "and a target column (\(Self.targetHeaders.joined(separator: ", ")))", file: file.path, line: 1)
        }
        var rows: [Row] = []
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let bad = batch.rejects.first {
                throw ZhaorenError(.malformedInput, bad.reasonText, file: file.path, line: bad.line, column: bad.column)
            }
            for r in batch {
                let area = r.string(a).trimmingCharacters(in: .whitespaces)
                let text = r.string(t).trimmingCharacters(in: .whitespaces)
                guard !area.isEmpty, let target = Int(text), target >= 0 else {
                    throw ZhaorenError(.malformedInput, "expected an area and a whole-number target",
                                       file: file.path, line: r.line, column: (area.isEmpty ? a : t) + 1)
                }
                rows.append(Row(area: area, target: target))
            }
        }
        self.rows = rows
    }

    /// Progress per row: enrolments achieved in every area whose name path ends with the
    /// row's path (county, county/township or county/township/village).
    func progress(enrolledByVillage: [CoverageTally.Village: Int], villages: [CoverageTally.Village])
        -> [CoverageSummary.TargetProgress]
    {
        // Every area at every level, as a name path, with the villages it contains.
        var paths: [[String]: [CoverageTally.Village]] = [:]
        for v in Set(villages).union(enrolledByVillage.keys) {
            paths[[v.county], default: []].append(v)
            paths[[v.county, v.township], default: []].append(v)
            paths[[v.county, v.township, v.village], default: []].append(v)
        }
        return rows.map { row in
            let query = row.area.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
            let matched = paths.keys.filter { $0.count >= query.count && Array($0.suffix(query.count)) == query }
                .sorted { $0.lexicographicallyPrecedes($1) }
            var counted = Set<CoverageTally.Village>()
            for m in matched { counted.formUnion(paths[m] ?? []) }
            let achieved = counted.reduce(0) { $0 + (enrolledByVillage[$1] ?? 0) }
            let progress = row.target > 0 ? (Double(achieved) / Double(row.target) * 10_000).rounded() / 10_000 : nil
            return .init(area: row.area, target: row.target, achieved: achieved, progress: progress,
                         matched: matched.map { $0.joined(separator: "/") })
        }
    }
}
