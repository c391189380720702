import Foundation
import Zhaoren

/// Writes one large output file through ``StagedFile``: it appears complete at `url`
/// (replacing a file of an earlier run atomically) or not at all.
enum StagedOutput {
    /// Opens a staged file for `url`, lets `body` fill it, and commits it.
    static func write(_ url: URL, _ body: (StagedFile) throws(ZhaorenError) -> Void) throws(ZhaorenError) {
        let out = try StagedFile(url)
        try body(out)
        try out.commit()
    }
}
