import Foundation
import Zhaoren

/// Writes one large output file through ``StagedFile``: `body` fills it, and it replaces any
/// file of an earlier run atomically when done.
enum StagedOutput {
    /// Opens a staged file for `url`, lets `body` fill it, and moves it into place.
    static func write(_ url: URL, _ body: (StagedFile) throws(ZhaorenError) -> Void) throws(ZhaorenError) {
        let out = try StagedFile(url)
        try body(out)
        try out.commit()
    }
}
