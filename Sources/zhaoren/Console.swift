import Foundation

/// Writing to standard output and standard error without crashing when they are closed
/// (`| head`, a terminal gone): a failed write to standard output ends the run with a message
/// and exit status 1 (see ``ZhaorenCommand/checkStandardOutput()``); one to standard error is
/// dropped.
enum Console {
    /// Writes `text` to standard error (progress and error messages).
    static func error(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// Writes `text` to standard output, through the same buffer as `print`.
    static func out(_ text: String) {
        print(text, terminator: "")
    }
}
