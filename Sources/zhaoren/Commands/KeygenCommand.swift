import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenKeyed

/// `zhaoren keygen`: a new linkage key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new 256-bit linkage key for keyed encodings (file mode 0600).",
        discussion: """
            Every department encodes with the same key; the linkage unit that links the encoded
            files must not have it. An existing file is never overwritten. Prints the key's
            fingerprint (which every encoded file's first line carries), never the key.

            Exit status: 0 done, 1 the file exists or cannot be written, 64 bad usage.
            """
    )

    @Option(help: ArgumentHelp("The key file to write.", valueName: "file"))
    var out: String

    func run() throws {
        do {
            let key = LinkageKey.generate()
            try key.write(to: URL(fileURLWithPath: out))
            print("zhaoren: wrote a new key to \(out) (fingerprint \(key.fingerprint)); keep it away from the linkage unit")
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
