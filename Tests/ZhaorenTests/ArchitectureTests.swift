import Foundation
import Testing

/// The house rules of the source tree, checked on the sources themselves: the engine's
/// folders follow the data flow and no stage reaches up into a later one; every module
/// imports only the layers below it; each shared helper exists once; the manifest can be a
/// versioned dependency.
@Suite struct ArchitectureTests {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The engine's folders, bottom to top: a folder may use what the folders before it declare.
    static let stages = ["Support", "Read", "Normalize", "Records", "Kernels", "Index", "Compare", "Score", "Cluster", "Write",
                         "Pipeline"]

    /// Every Swift file under `folder` (relative to the root), with its text.
    static func sources(_ folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var out: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            out.append((String(url.path.dropFirst(root.path.count + 1)), try String(contentsOf: url, encoding: .utf8)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The text without comments and string literals (so names in docs and messages do not count).
    static func code(_ text: String) -> String {
        var out = ""
        var i = text.startIndex
        func at(_ s: String) -> Bool { text[i...].hasPrefix(s) }
        while i < text.endIndex {
            if at("//") {
                while i < text.endIndex && text[i] != "\n" { i = text.index(after: i) }
            } else if at("/*") {
                while i < text.endIndex && !at("*/") { i = text.index(after: i) }
                if i < text.endIndex { i = text.index(i, offsetBy: 2) }
            } else if at("#\"\"\"") || at("\"\"\"") {
                let close = at("#") ? "\"\"\"#" : "\"\"\""
                i = text.index(i, offsetBy: close.count)
                while i < text.endIndex && !at(close) { i = text.index(after: i) }
                if i < text.endIndex { i = text.index(i, offsetBy: close.count) }
            } else if text[i] == "\"" {
                i = text.index(after: i)
                while i < text.endIndex && text[i] != "\"" && text[i] != "\n" {
                    if text[i] == "\\" { i = text.index(after: i) }
                    if i < text.endIndex { i = text.index(after: i) }
                }
                if i < text.endIndex { i = text.index(after: i) }
            } else {
                out.append(text[i])
                i = text.index(after: i)
            }
        }
        return out
    }

    /// The names of the types declared at the top level of `code`.
    static func declaredTypes(_ code: String) -> Set<String> {
        let pattern = try! NSRegularExpression(
            pattern: #"(?m)^(?:@\w+(?:\([^)]*\))?\s+)*(?:public |package |internal |fileprivate |private )?(?:final )?(?:struct|class|enum|protocol|actor|typealias) ([A-Z]\w*)"#)
        let range = NSRange(code.startIndex..., in: code)
        return Set(pattern.matches(in: code, range: range).map { String(code[Range($0.range(at: 1), in: code)!]) })
    }

    /// The capitalized identifiers used in `code`.
    static func identifiers(_ code: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b[A-Z][A-Za-z0-9_]*\b"#)
        let range = NSRange(code.startIndex..., in: code)
        return Set(pattern.matches(in: code, range: range).map { String(code[Range($0.range, in: code)!]) })
    }

    @Test func noEngineStageUsesALaterOne() throws {
        var owner: [String: Int] = [:]   // type name → stage index
        var files: [(stage: Int, path: String, code: String)] = []
        for (k, stage) in Self.stages.enumerated() {
            for (path, text) in try Self.sources("Sources/Zhaoren/" + stage) {
                let code = Self.code(text)
                files.append((k, path, code))
                for name in Self.declaredTypes(code) { owner[name] = k }
            }
        }
        #expect(owner["CSVReader"] == 1 && owner["RecordTable"] == 3 && owner["LinkPipeline"] == 10, "the stage folders moved")
        var violations: [String] = []
        for file in files {
            for name in Self.identifiers(file.code) {
                if let k = owner[name], k > file.stage {
                    violations.append("\(file.path) uses \(name) of \(Self.stages[k])")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
        // Every engine source sits in a stage folder.
        let all = try Self.sources("Sources/Zhaoren").map(\.path)
        let outside = all.filter { path in !Self.stages.contains { path.hasPrefix("Sources/Zhaoren/\($0)/") } }
        #expect(outside.isEmpty, "files outside the stage folders: \(outside)")
    }

    /// What each module may import (besides Foundation, Dispatch, the C library and Synchronization).
    static let allowedImports: [String: Set<String>] = [
        "ZhaorenSupport": [],
        "ZhaorenICU": ["ZhaorenICUShim"],
        "Zhaoren": ["ZhaorenSupport", "ZhaorenICU", "ZhaorenSystemShim", "ZIPFoundation"],
        "ZhaorenEvaluation": ["Zhaoren", "ZhaorenSupport"],
        "ZhaorenCoverage": ["Zhaoren", "ZhaorenSupport"],
        "ZhaorenSynth": ["Zhaoren", "ZhaorenSupport", "ZhaorenICU"],
        "ZhaorenKeyed": ["Zhaoren", "ZhaorenSupport", "Crypto"],
        "ZhaorenBase": ["Zhaoren", "ZhaorenSupport", "ZhaorenCoverage", "GRDB"],
        "ZhaorenService": ["ZhaorenBase", "Zhaoren", "ZhaorenSupport", "Hummingbird", "HTTPTypes", "Logging", "Crypto"],
        "ZhaorenBench": ["Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth"],
        "ZhaorenDemo": ["Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth", "ZhaorenBench"],
    ]

    @Test func modulesImportOnlyTheLayersBelow() throws {
        let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"]
        var violations: [String] = []
        for (module, allowed) in Self.allowedImports {
            for (path, text) in try Self.sources("Sources/" + module) {
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                    let name = String(line.split(separator: " ").last!)
                    if line.hasPrefix("@_exported") { violations.append("\(path): \(line)") }
                    if !allowed.contains(name) && !system.contains(name) { violations.append("\(path) imports \(name)") }
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    /// Each shared helper once: a pattern that marks a second copy, and the one file allowed to have it.
    static let single: [(pattern: String, home: String)] = [
        ("clock_gettime", "Sources/ZhaorenSupport/Clock.swift"),
        ("DispatchTime.now", ""),
        ("ContinuousClock", ""),
        ("concurrentPerform", "Sources/ZhaorenSupport/Parallel.swift"),
        ("&+= 0x9E37_79B9_7F4A_7C15", "Sources/ZhaorenSupport/SeededGenerator.swift"),
        ("/proc/self/status", "Sources/ZhaorenSupport/ProcessMemory.swift"),
        ("split(separator: \"\\t\"", "Sources/ZhaorenSupport/TSV.swift"),
        ("StagedFile(", "Sources/Zhaoren/Write/"),
        ("struct CSVText", ""),
        ("enum SimpleCSV", ""),
        ("class CSVSink", ""),
    ]

    @Test func sharedHelpersExistOnce() throws {
        var violations: [String] = []
        for (path, text) in try Self.sources("Sources") where !path.contains("/generated/") {
            // Comment lines may mention anything; code may not.
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                .joined(separator: "\n")
            for (pattern, home) in Self.single where code.contains(pattern) {
                if home.isEmpty || !path.hasPrefix(home) { violations.append("\(path) has \(pattern)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func manifestCanBeAVersionedDependency() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!manifest.contains("unsafeFlags"))
        #expect(manifest.contains(#".library(name: "Zhaoren", targets: ["Zhaoren"])"#))
    }

    @Test func generatedTablesLiveInGeneratedFolders() throws {
        for (path, text) in try Self.sources("Sources") where text.hasPrefix("// Generated by") {
            #expect(path.contains("/generated/"), "\(path) is generated but not in a generated/ folder")
        }
        let scripts = try FileManager.default.subpathsOfDirectory(atPath: Self.root.appendingPathComponent("Scripts").path)
        #expect(scripts.filter { $0.contains("embed") } == ["embed-tables.py"])
    }
}
