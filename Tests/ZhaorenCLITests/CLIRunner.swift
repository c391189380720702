import Foundation
import Testing
import ZhaorenTestSupport

/// Runs the built `zhaoren` binary, as a user would, and captures what it prints.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder holding the built products (the test bundle sits beside the binary).
    static var productsDirectory: URL {
        let bundle = Bundle.main.bundleURL
        return bundle.lastPathComponent.hasSuffix("xctest") ? bundle.deletingLastPathComponent() : bundle
    }

    static var binary: URL { productsDirectory.appendingPathComponent("zhaoren") }

    /// Runs `zhaoren` with `arguments`, feeding `stdin` if given.
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        try run(program: binary, arguments, stdin: stdin, in: directory, environment: environment)
    }

    /// Runs `program` with `arguments` (another tool a test drives, such as the Spark job).
    static func run(program: URL, _ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder for one test (inside ``Scratch/root``); the test removes it
    /// with `defer { Scratch.remove(folder) }`.
    /// The path of program `name` on `PATH`, or `nil`.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        try Scratch.folder("tests-" + name)
    }
}

@Suite struct CLIBasicsTests {
    @Test func versionAndHelp() throws {
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.2.0")
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: zhaoren"))
    }

    @Test func unknownSubcommandFailsWithUsageError() throws {
        let result = try CLIRunner.run(["no-such-command"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Error"))
    }
}
