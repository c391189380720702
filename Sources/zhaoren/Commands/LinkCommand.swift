import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenSupport

/// `zhaoren link`: find the same people across two files.
struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link the people of two CSV/TSV files.",
        discussion: """
            Only pairs with one record from each file are made. Writes into --out: pairs.csv,
            clusters.csv, unmatched.csv (records of either file with no match), rejects.csv and
            summary.json. With --one-to-one each record keeps at most one match (greedy by weight).
            --write picks the files (e.g. --write clusters; --write all adds candidates.csv).
            With --encoded both files are keyed-encoded (zhaoren encode, the same key).

            Exit status: 0 done, 1 bad input (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @Argument(help: "The left file.")
    var left: String

    @Argument(help: "The right file.")
    var right: String

    @Option(help: ArgumentHelp("Column roles of the left file: ROLE=HEADER[,…]; not with --encoded.", valueName: "roles"))
    var leftColumns: String?

    @Option(help: ArgumentHelp("Column roles of the right file: ROLE=HEADER[,…]; not with --encoded.", valueName: "roles"))
    var rightColumns: String?

    @Flag(help: "Keep each record in at most one accepted pair.")
    var oneToOne = false

    @OptionGroup var options: LinkOptions

    func validate() throws {
        try options.checkColumns([leftColumns, rightColumns])
    }

    func run() throws {
        let a = try options.source(left, leftColumns)
        let b = try options.source(right, rightColumns)
        guard a.name != b.name else {
            throw ValidationError("the two files have the same name \"\(a.name)\"; rename one so sources can be told apart")
        }
        try options.run(sources: [a, b], linking: true, oneToOne: oneToOne)
    }
}
