import Foundation
import Zhaoren
import ZhaorenSupport

/// One population file stacked from three registers of a generated city, as a data center
/// builds one before deduplicating: the police register, the grid survey and the insurance
/// accounts, one row per source row, in shared columns (`population.csv`), with the truth of
/// every row (`truth/population.csv`, source `population`).
///
/// This is the shape real work has and the project's own files do not: about 2.6 rows per
/// person, a third of them without birth date, phone or address (the insurance accounts carry
/// none), the survey's typos beside the register's clean values. `zhaoren bench` deduplicates it; `zhaoren generate --stacked` writes it.
///
/// ```swift
/// let stacked = try StackedPopulation.write(city: URL(fileURLWithPath: "city"))
/// stacked.rows        // 3,134,188 at 1.2 M persons
/// // then: zhaoren dedupe city/population.csv --columns name=姓名,id=身份证号,sex=性别,… --out out
/// ```
public enum StackedPopulation {
    /// The file's name in the city folder.
    public static let fileName = "population.csv"
    /// Its truth, inside the city folder.
    public static let truthPath = "truth/population.csv"
    /// Its header.
    public static let header = ["来源", "原行号", "姓名", "身份证号", "性别", "出生日期", "联系电话", "地址"]
    /// Its column roles for `zhaoren dedupe`.
    public static let columns = "name=姓名,id=身份证号,sex=性别,birth=出生日期,phone=联系电话,address=地址"

    /// What was written.
    public struct Written: Sendable, Equatable {
        /// Data rows of `population.csv`.
        public var rows: Int
        /// Rows taken from each register.
        public var rowsPerSource: [String: Int]
    }

    /// The registers stacked, in order, each with its roles for the shared columns (`nil`: the
    /// register has no such column).
    static func sources(in shape: CityShape) -> [(file: CityFile, roles: [String?])] {
        [CityFile.police, .gridSurvey, .insurance].map { file in
            let roles = file.roles(in: shape)
            func header(_ role: String) -> String? { roles.first { $0.role == role }?.column }
            return (file, ["name", "id", "sex", "birth", "phone", "address"].map(header))
        }
    }

    /// Writes `population.csv` and `truth/population.csv` into the city folder `city` from its
    /// police register, grid survey and insurance accounts (read with their detected encodings),
    /// each file atomically.
    /// - Throws: ``ZhaorenError`` when a register or the city's truth cannot be read, or an
    ///   output cannot be written.
    /// - Complexity: O(rows of the three registers + rows of `truth/entities.csv`); memory for
    ///   the truth of the three registers.
    @discardableResult
    public static func write(city: URL) throws(ZhaorenError) -> Written {
        let shape = try shapeOf(city)
        let stacked = sources(in: shape)
        let entities = try truth(in: city, files: Set(stacked.map(\.file.rawValue)))
        let out = try CSVWriter(city.appendingPathComponent(fileName), header: header, neutralizesFormulas: false)
        let truthOut = try CSVWriter(city.appendingPathComponent(truthPath), header: ["source", "row", "entity_id"])
        var row = 0
        var perSource: [String: Int] = [:]
        for (file, roles) in stacked {
            let url = city.appendingPathComponent(file.fileName(in: shape))
            let reader = try CSVReader(url: url)
            let index = roles.map { role in role.flatMap { reader.header.firstIndex(of: $0) } }
            guard let ids = entities[file.rawValue] else {
                throw ZhaorenError(.malformedInput, "no rows of \(file.rawValue) in the truth", file: city.appendingPathComponent("truth/entities.csv").path)
            }
            try reader.forEachBatch { batch throws(ZhaorenError) in
                for r in batch {
                    let sourceRow = r.number
                    guard sourceRow >= 1, sourceRow <= ids.count, !ids[sourceRow - 1].isEmpty else {
                        throw ZhaorenError(.malformedInput, "row \(sourceRow) is not in the truth", file: url.path, line: r.line)
                    }
                    row += 1
                    out.appendField(file.rawValue)
                    out.appendField(sourceRow)
                    for column in index {
                        if let column { out.appendField(r.string(column)) } else { out.appendEmptyField() }
                    }
                    out.endRow()
                    truthOut.appendField("population")
                    truthOut.appendField(row)
                    truthOut.appendField(ids[sourceRow - 1])
                    truthOut.endRow()
                }
            }
            perSource[file.rawValue] = reader.statistics.rowsRead
        }
        try out.commit()
        try truthOut.commit()
        return Written(rows: row, rowsPerSource: perSource)
    }

    /// The city's shape from its `manifest.json` (the friendly shape when it says none).
    static func shapeOf(_ city: URL) throws(ZhaorenError) -> CityShape {
        let url = city.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ZhaorenError(.io, "not a generated city: cannot read manifest.json", file: url.path)
        }
        return (object["shape"] as? String).flatMap(CityShape.init(rawValue:)) ?? .friendly
    }

    /// Entity ids by source and row (index `row - 1`) for the given files, from `truth/entities.csv`.
    static func truth(in city: URL, files: Set<String>) throws(ZhaorenError) -> [String: [String]] {
        let url = city.appendingPathComponent("truth/entities.csv")
        let reader = try CSVReader(url: url)
        var ids: [String: [String]] = [:]
        try reader.forEachBatch { batch throws(ZhaorenError) in
            for r in batch {
                let source = r.string(0)
                guard files.contains(source) else { continue }
                guard let row = Int(r.string(1)), row >= 1 else {
                    throw ZhaorenError(.malformedInput, "row is not a number", file: url.path, line: r.line, column: 2)
                }
                let entity = r.string(2)
                func place(_ list: inout [String]) {
                    if list.count < row { list.append(contentsOf: repeatElement("", count: row - list.count)) }
                    list[row - 1] = entity
                }
                place(&ids[source, default: []])
            }
        }
        return ids
    }
}
