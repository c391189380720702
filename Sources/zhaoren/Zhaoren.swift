import ArgumentParser
import Foundation
import ZhaorenSystemShim

/// The `zhaoren` command: argument parsing and printing only; the work is in the libraries.
@main
struct ZhaorenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhaoren",
        abstract: "Zhaoren (找人): record linkage for Chinese social-insurance coverage work.",
        version: "0.2.0",
        subcommands: [
            CheckCommand.self,
            NormalizeCommand.self,
            DedupeCommand.self,
            LinkCommand.self,
            KeygenCommand.self,
            EncodeCommand.self,
            BaseCommand.self,
            ServeCommand.self,
            ShardCommand.self,
            EvaluateCommand.self,
            CoverageCommand.self,
            GenerateCommand.self,
            BenchCommand.self,
            DemoCommand.self,
        ]
    )

    /// Runs the command. A closed standard output (`zhaoren check … | head -1`) is an error
    /// with a reason and exit status 1, not a silent death by SIGPIPE.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            checkStandardOutput()
            exit(withError: error)
        }
        checkStandardOutput()
    }

    /// Flushes standard output; a write that failed (a closed pipe, a full disk) ends the run
    /// with a message and exit status 1.
    static func checkStandardOutput() {
        let failure = zhaoren_stdout_error()
        guard failure != 0 else { return }
        Console.error("zhaoren: standard output: \(String(cString: strerror(failure)))\n")
        Foundation.exit(1)
    }
}
