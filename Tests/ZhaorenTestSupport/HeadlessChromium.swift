import Foundation

/// Debian's `chromium`, headless, for the tests that open a page in a real browser (skipped
/// when it is not installed: `apt-get install -y chromium`).
///
/// ```swift
/// let dom = try HeadlessChromium.run(["--dump-dom", url], profile: folder).stdout
/// ```
public enum HeadlessChromium {
    /// The browser's path, or `nil` when none is installed.
    public static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the browser headless with `arguments` and a fresh profile folder; returns its exit
    /// status and standard output.
    public static func run(_ arguments: [String], profile: URL) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--user-data-dir=\(profile.path)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
