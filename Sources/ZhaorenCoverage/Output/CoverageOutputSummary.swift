import Zhaoren
import Foundation

/// What ``CoverageOutput/write(to:options:)`` wrote: the files and the headline counts, for
/// the command line to print.
public struct CoverageOutputSummary: Sendable {
    /// The output folder.
    public var folder: URL
    /// Files written, relative to ``folder``, in writing order (`worklists/…` included).
    public var files: [String]
    /// Number of worklist files.
    public var worklists: Int
    /// Everything `summary.json` holds.
    public var summary: CoverageSummary
    /// Wall-clock seconds per writing step (`tally`, `labels.csv`, `persons.csv`, `worklists`,
    /// `changes.csv`, `summary.json`, `report.html`, and `read previous`), for the run's
    /// timings. Not part of `summary.json`, which stays byte-stable.
    public var timings: [StageTiming]

    /// Total seconds spent writing.
    public var seconds: Double { timings.reduce(0) { $0 + $1.seconds } }

    /// A few lines for people: persons, needing action, coverage, changes, files.
    ///
    /// ```
    /// 1214000 persons, 51234 needing action in 812 worklists
    /// coverage of working-age residents: 91.2% (602311 of 660421)
    /// since the previous run: 3120 new, 8410 resolved, 2291 enrolled
    /// wrote 818 files to out/
    /// ```
    public var text: String {
        var lines = ["\(summary.persons) persons, \(summary.personsNeedingAction) needing action in \(worklists) worklists"]
        let c = summary.coverage
        if let rate = c.rate {
            lines.append("coverage of working-age residents: \(CoverageReport.percent(rate)) (\(c.insured) of \(c.workingAge))")
        }
        if let ch = summary.changes {
            lines.append("since the previous run: \(ch.total.new) new, \(ch.total.resolved) resolved, \(ch.enrolled) enrolled")
        }
        lines.append("wrote \(files.count) files to \(folder.path)")
        return lines.joined(separator: "\n")
    }
}
