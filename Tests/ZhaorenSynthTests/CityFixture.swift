import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenSynth
import ZhaorenICU

/// Generated cities shared by the tests (generated once per process).
enum CityFixture {
    /// A 20,000-person city with default errors, written with the default encodings.
    static let medium: (city: SyntheticCity, folder: URL) = make(persons: 20_000, seed: 7, name: "medium")

    static func make(persons: Int, seed: UInt64, name: String, errors: ErrorRates = ErrorRates(),
                     gb18030: Set<CityFile> = [.gridSurvey], threads: Int? = nil) -> (city: SyntheticCity, folder: URL) {
        let folder = temporaryFolder(name)
        let city = try! SyntheticCity(CityConfig(persons: persons, seed: seed, errors: errors))
        try! city.write(to: folder, gb18030: gb18030, threads: threads)
        return (city, folder)
    }

    /// A fresh folder inside ``Scratch/root``; a test removes it with `defer { Scratch.remove(folder) }`
    /// (the shared cities stay until the process exits).
    static func temporaryFolder(_ name: String) -> URL {
        let url = Scratch.path("synth-" + name)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The data rows of a CSV file (header dropped), split on commas; decodes GB18030 when asked.
    /// The generator never writes quoted fields in these files, which the tests also check.
    static func rows(_ folder: URL, _ path: String, gb18030: Bool = false) throws -> (header: [String], rows: [[String]]) {
        if path.hasSuffix(".xlsx") {
            // A department workbook: the header is on row 3, under a title and a unit line.
            var options = CSVReader.Options()
            options.headerRow = 3
            let reader = try CSVReader(path: folder.appendingPathComponent(path).path, options: options)
            var rows: [[String]] = []
            while let batch = try reader.nextBatch() { for row in batch { rows.append((0..<row.count).map { row.string($0) }) } }
            return (reader.header, rows)
        }
        let data = try Data(contentsOf: folder.appendingPathComponent(path))
        var text: String
        if gb18030 {
            text = try #require(try CharsetConverter("GB18030").decode(Array(data)))
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        return (header, lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
    }

    /// Whether `id` (trimmed, uppercased) is a checksum-valid 18-digit number.
    static func validID18(_ id: String) -> Bool {
        let bytes = Array(id.uppercased().utf8)
        guard bytes.count == 18 else { return false }
        return CheckDigits.residentID(bytes[0..<17]) == bytes[17]
    }

    /// The 18-digit form of a 15-digit number (insert 19, add the check).
    static func upgrade15(_ id: String) -> String? {
        let bytes = Array(id.utf8)
        guard bytes.count == 15, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let body = Array(bytes[0..<6]) + Array("19".utf8) + Array(bytes[6..<15])
        guard let check = CheckDigits.residentID(body) else { return nil }
        return String(decoding: body + [check], as: UTF8.self)
    }
}
