import Dispatch
import Foundation
import Zhaoren
import ZhaorenSupport

/// What ``SyntheticCity/write(to:gb18030:threads:)`` wrote.
public struct CitySummary: Sendable {
    /// The output folder.
    public var folder: URL
    /// Data rows per department file (header not counted).
    public var rows: [CityFile: Int]
    /// The files written in GB18030 (the others are UTF-8).
    public var gb18030: Set<CityFile>
    /// Data rows per truth file, by path relative to the folder (e.g. `truth/labels.csv`).
    public var truthRows: [String: Int]
    /// Injected errors listed in `truth/errors.csv`.
    public var injectedErrors: Int
    /// The layout of the files (``CityFile/fileName(in:)`` gives each file's name).
    public var shape: CityShape = .friendly

    /// All department rows.
    public var totalRows: Int { rows.values.reduce(0, +) }
}

/// One injected error: which row, which field, what kind (listed in `truth/errors.csv`).
struct InjectedError: Sendable {
    var row: UInt32
    var field: String
    var kind: String
}

/// What writing one file produced: its rows' entities (person or enterprise index) and errors.
struct FileOutput: Sendable {
    var rows = 0
    /// The row number of the first data row (1 in a CSV file: the header is row 0; in a
    /// workbook, the sheet row under the header).
    var firstRow = 1
    var entities: [UInt32] = []
    var errors: [InjectedError] = []
}

extension SyntheticCity {
    /// Writes every department file, the truth, `manifest.json` and `README.txt` into `folder`
    /// (`CityFolder.write` in `ZhaorenBench` adds the coverage settings, `coverage.json`).
    ///
    /// Files are written in parallel (one writer per file, each with its own random stream), so
    /// the bytes do not depend on `threads`; each file appears only when complete.
    /// - Parameters:
    ///   - gb18030: department files to encode in GB18030 (default: the grid survey).
    ///   - threads: 1 writes files one after another; `nil` uses every core.
    /// - Complexity: O(rows); memory O(rows) for the truth's 4-byte entity per row.
    @discardableResult
    public func write(to folder: URL, gb18030: Set<CityFile> = [.gridSurvey], threads: Int? = nil) throws(ZhaorenError) -> CitySummary {
        let out = try OutputFolder(folder, expectedBytes: expectedBytes)
        let summary = try write(into: out, gb18030: gb18030, threads: threads)
        try out.commit()
        return summary
    }

    /// About how many bytes the city's files take (for the free-space check).
    public var expectedBytes: Int { config.persons * 600 }

    /// Writes the city into the staging folder of `out` (committing it is the caller's, who may
    /// add files of its own first); see ``write(to:gb18030:threads:)``.
    @discardableResult
    public func write(into out: OutputFolder, gb18030: Set<CityFile> = [.gridSurvey], threads: Int? = nil) throws(ZhaorenError) -> CitySummary {
        let folder = out.staging
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("truth"), withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the output folder: \(FileFault.reason(of: error))", file: folder.path)
        }
        let files = CityFile.allCases
        let truthJobs = 3
        let total = files.count + truthJobs
        var results = [Result<FileOutput, ZhaorenError>?](repeating: nil, count: total)
        let job: @Sendable (Int) -> Result<FileOutput, ZhaorenError> = { i in
            do throws(ZhaorenError) {
                if i < files.count {
                    let file = files[i]
                    return .success(try self.writeFile(file, to: folder.appendingPathComponent(file.fileName(in: self.config.shape)), gb18030: gb18030.contains(file)))
                }
                var output = FileOutput()
                switch i - files.count {
                case 0: output.rows = try self.writePersonsTruth(folder.appendingPathComponent("truth/persons.csv"))
                case 1: output.rows = try self.writeLabels(folder.appendingPathComponent("truth/labels.csv"))
                default: output.rows = try self.writeEnterpriseTruth(folder.appendingPathComponent("truth"))
                }
                return .success(output)
            } catch {
                return .failure(error)
            }
        }
        if threads == 1 {
            for i in 0..<total { results[i] = job(i) }
        } else {
            results = Parallel.map(total, job)
        }
        var outputs: [FileOutput] = []
        for r in results {
            switch r! {
            case .success(let o): outputs.append(o)
            case .failure(let e): throw e
            }
        }
        var summary = CitySummary(folder: out.destination, rows: [:], gb18030: gb18030, truthRows: [:], injectedErrors: 0)
        summary.shape = config.shape
        for (i, file) in files.enumerated() { summary.rows[file] = outputs[i].rows }
        summary.truthRows["truth/persons.csv"] = outputs[files.count].rows
        summary.truthRows["truth/labels.csv"] = outputs[files.count + 1].rows
        summary.truthRows["truth/enterprises.csv"] = outputs[files.count + 2].rows

        // entities.csv and errors.csv, in file order.
        let entities = try CSVWriter(folder.appendingPathComponent("truth/entities.csv"), header: ["source", "row", "entity_id"], neutralizesFormulas: false)
        let errors = try CSVWriter(folder.appendingPathComponent("truth/errors.csv"), header: ["source", "row", "field", "kind"], neutralizesFormulas: false)
        for (i, file) in files.enumerated() {
            let prefix = Array(file.rawValue.utf8)
            let isPerson = file.isPersonFile
            for (r, e) in outputs[i].entities.enumerated() {
                entities.row.plain(bytes: prefix)
                entities.row.int(r + outputs[i].firstRow)
                entities.row.beginField()
                entities.row.appendRaw(isPerson ? [80] : [69])
                entities.row.appendDigits(Int(e) + 1, width: isPerson ? 7 : 6)
                entities.endRow()
            }
            for err in outputs[i].errors {
                errors.row.plain(bytes: prefix)
                errors.row.int(Int(err.row) + outputs[i].firstRow - 1)
                errors.row.field(err.field)
                errors.row.field(err.kind)
                errors.endRow()
            }
        }
        try entities.commit()
        try errors.commit()
        summary.truthRows["truth/entities.csv"] = entities.dataRowCount
        summary.truthRows["truth/errors.csv"] = errors.dataRowCount
        summary.injectedErrors = errors.dataRowCount
        try AtomicFile.write(manifest(summary), to: folder.appendingPathComponent("manifest.json"))
        try AtomicFile.write(readme(summary), to: folder.appendingPathComponent("README.txt"))
        return summary
    }

    func writeFile(_ file: CityFile, to url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        switch file {
        case .police: try writePolice(url, gb18030: gb18030)
        case .gridSurvey: try writeGridSurvey(url, gb18030: gb18030)
        case .insurance: try writeInsurance(url, gb18030: gb18030)
        case .students: try writeStudents(url, gb18030: gb18030)
        case .dibao:
            if config.shape == .real { try writeDibaoWorkbook(url) } else { try writeDibao(url, gb18030: gb18030) }
        case .tekun: try writeTekun(url, gb18030: gb18030)
        case .disabled: try writeDisabled(url, gb18030: gb18030)
        case .deaths: try writeDeaths(url, gb18030: gb18030)
        case .enterprises: try writeEnterprises(url, gb18030: gb18030)
        case .tax: try writeTax(url, gb18030: gb18030)
        }
    }
}
