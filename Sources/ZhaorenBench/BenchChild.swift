import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth

/// Runs one benchmark size in a child process of the same binary, so that its peak memory
/// belongs to that size alone and nothing an earlier size left allocated slows it down.
///
/// The child is started as `executable arguments…`; it must run one ``BenchRun`` and print its
/// ``BenchResult`` as JSON on stdout (`zhaoren bench` does this with a hidden `--child` flag).
/// Its stderr (progress) passes through to this process's stderr.
///
/// ```swift
/// let result = try BenchChild.run(executable: BenchChild.currentExecutable,
///                                 arguments: ["bench", "--persons", "100000", "--child"])
/// ```
public enum BenchChild {
    /// This process's own executable (`/proc/self/exe` on Linux, else `argv[0]`).
    public static var currentExecutable: URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Starts the child, waits for it, and decodes the result it printed.
    /// - Throws: ``ZhaorenError`` (`.io`) when the child cannot start, fails, or prints no result.
    public static func run(executable: URL, arguments: [String]) throws(ZhaorenError) -> BenchResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch {
            throw ZhaorenError(.io, "cannot start a benchmark child: \(error.localizedDescription)", file: executable.path)
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ZhaorenError(.io, "the benchmark child (\(arguments.joined(separator: " "))) failed with status \(process.terminationStatus)")
        }
        do {
            return try JSONDecoder().decode(BenchResult.self, from: data)
        } catch {
            throw ZhaorenError(.io, "the benchmark child printed no result: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    /// The result as the child prints it: one line of JSON.
    public static func output(_ result: BenchResult) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(result)) ?? Data(), as: UTF8.self)
    }
}
