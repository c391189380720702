import ArgumentParser

/// The `zhaoren` command: argument parsing and printing only; the work is in the libraries.
@main
struct ZhaorenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhaoren",
        abstract: "Zhaoren (找人): record linkage for Chinese social-insurance coverage work.",
        version: "0.1.0",
        subcommands: [
            CheckCommand.self,
            NormalizeCommand.self,
            DedupeCommand.self,
            LinkCommand.self,
            EvaluateCommand.self,
            CoverageCommand.self,
            GenerateCommand.self,
            BenchCommand.self,
            DemoCommand.self,
        ]
    )
}
