import Foundation

extension BenchReport {
    /// The report as fixed-width text: a summary per size, every stage, and the accuracy.
    ///
    /// ```
    /// size  shape  persons   rows  base persons  wall s  coverage s  dedupe s  link s  stacked s  peak MiB  coverage
    /// 10k   real     10000  27834         10019   1.251       0.982     0.120   0.310      0.290        65     79.2%
    /// ```
    public var table: String {
        var out = "zhaoren bench \(version) (\(build) build, \(host.cores) cores, \(date))\n\n"
        out += Self.text(summaryRows, align: [.left, .left] + Array(repeating: .right, count: 10))
        out += "\n" + Self.text(jobRows, align: [.left, .left] + Array(repeating: .right, count: 5))
        out += "\n" + Self.text(stageRows, align: [.left, .left, .left, .right, .right, .right, .right, .right])
        out += "\n" + Self.text(accuracyRows, align: [.left, .left, .right, .right, .right, .left])
        return out
    }

    /// The report as Markdown: the same three tables.
    public var markdown: String {
        var out = "# zhaoren bench\n\n"
        out += "\(date) · zhaoren \(version) · \(build) build · \(host.cores) cores · "
            + String(format: "%.0f GiB", Double(host.memoryBytes) / 1_073_741_824) + " · \(host.system)\n\n"
        out += "## Sizes\n\n" + Self.markdown(summaryRows, align: [.left, .left] + Array(repeating: .right, count: 10))
        out += "\n## Engine jobs\n\n"
            + "Candidate pairs compared and scored per wall second and core, reading and writing included "
            + "(Splink publishes about 128,000 per vCPU).\n\n"
            + Self.markdown(jobRows, align: [.left, .left] + Array(repeating: .right, count: 5))
        out += "\n## Stages\n\n" + Self.markdown(stageRows, align: [.left, .left, .left, .right, .right, .right, .right, .right])
        out += "\n## Accuracy against the truth\n\n"
            + "Pairwise precision, recall and F1 for dedupe and link; for labels, the lowest and the mean over the labels.\n\n"
            + Self.markdown(accuracyRows, align: [.left, .left, .right, .right, .right, .left])
        return out
    }

    // MARK: Rows

    var summaryRows: [[String]] {
        var rows = [["size", "shape", "persons", "rows", "base persons", "wall s", "coverage s", "dedupe s", "link s", "stacked s", "peak MiB", "coverage"]]
        for r in results {
            func workflow(_ name: String) -> String { r.stages(of: name).isEmpty ? "-" : Self.seconds(r.seconds(of: name)) }
            rows.append([BenchRun.sizeLabel(r.persons), r.shape ?? "friendly", String(r.persons), String(r.departmentRows), String(r.basePersons),
                         Self.seconds(r.wallSeconds), Self.seconds(r.coverageSeconds), workflow("dedupe"), workflow("link"),
                         workflow("stacked"), Self.mib(r.peakMemoryBytes), r.coverageRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-"])
        }
        return rows
    }

    var jobRows: [[String]] {
        var rows = [["size", "engine job", "records", "candidate pairs", "wall s", "records/s", "pairs/s per core"]]
        for r in results {
            for j in r.engineJobs ?? [] {
                rows.append([BenchRun.sizeLabel(r.persons), Self.jobNames[j.job] ?? j.job, String(j.records), String(j.candidatePairs),
                             Self.seconds(j.seconds), Self.rate(j.recordsPerSecond), Self.rate(j.pairsPerSecondPerCore)])
            }
        }
        return rows
    }

    /// What each engine job did, for the tables.
    static let jobNames = ["dedupe": "dedupe grid_survey", "link": "link grid_survey→police",
                           "stacked": "dedupe police+survey+insurance"]

    var stageRows: [[String]] {
        var rows = [["size", "workflow", "stage", "rows", "pairs", "seconds", "rows/s", "peak MiB"]]
        for r in results {
            for s in r.stages {
                rows.append([BenchRun.sizeLabel(r.persons), s.workflow, s.name, String(s.rows), s.candidatePairs.map(String.init) ?? "",
                             Self.seconds(s.seconds), Self.rate(s.rowsPerSecond), s.peakMemoryBytes.map(Self.mib) ?? ""])
            }
        }
        return rows
    }

    var accuracyRows: [[String]] {
        var rows = [["size", "check", "precision", "recall", "F1", "note"]]
        for r in results {
            let size = BenchRun.sizeLabel(r.persons)
            if let d = r.dedupe { rows.append(Self.pairwiseRow(size, "dedupe grid_survey", d)) }
            if let l = r.link { rows.append(Self.pairwiseRow(size, "link grid_survey→police", l)) }
            if let t = r.stacked { rows.append(Self.pairwiseRow(size, "dedupe police+survey+insurance", t)) }
            if let p = r.personLabels { rows.append(Self.labelRow(size, "person labels", p)) }
            if let e = r.enterpriseLabels { rows.append(Self.labelRow(size, "enterprise labels", e)) }
            if let a = r.areas {
                rows.append([size, "persons placed in a village", String(format: "%.4f", a.correctShare), String(format: "%.4f", a.villageShare), "",
                             "\(a.withVillage) of \(a.persons) placed, \(a.correct) of \(a.checked) checked in the right village; \(a.villages) worklists"])
            }
        }
        return rows
    }

    static func pairwiseRow(_ size: String, _ name: String, _ p: BenchPairwise) -> [String] {
        [size, name, String(format: "%.4f", p.precision), String(format: "%.4f", p.recall), String(format: "%.4f", p.f1),
         "\(p.truePositives) true pairs found, \(p.falsePositives) false, \(p.falseNegatives) missed"]
    }

    static func labelRow(_ size: String, _ name: String, _ l: BenchLabels) -> [String] {
        [size, "\(name) (\(l.count))", String(format: "min %.4f mean %.4f", l.minPrecision, l.meanPrecision),
         String(format: "min %.4f mean %.4f", l.minRecall, l.meanRecall), "",
         "lowest: precision \(l.minPrecisionLabel), recall \(l.minRecallLabel)"
            + (l.unscored.isEmpty ? "" : "; not in the truth: " + l.unscored.keys.sorted().map { "\($0) \(l.unscored[$0]!)" }.joined(separator: ", "))]
    }

    // MARK: Formatting

    enum Align { case left, right }

    static func seconds(_ s: Double) -> String { String(format: s < 10 ? "%.3f" : "%.2f", s) }
    static func mib(_ bytes: Int) -> String { bytes > 0 ? String(bytes / 1_048_576) : "-" }
    static func rate(_ r: Double) -> String { r > 0 ? String(Int(r.rounded())) : "" }

    /// Display width: CJK characters take two columns in a terminal.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic ? 2 : 1) }
    }

    static func text(_ rows: [[String]], align: [Align]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { c in rows.map { width($0[c]) }.max() ?? 0 }
        return rows.map { row in
            (0..<columns).map { c -> String in
                let pad = String(repeating: " ", count: widths[c] - width(row[c]))
                return align[c] == .left ? row[c] + pad : pad + row[c]
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    static func markdown(_ rows: [[String]], align: [Align]) -> String {
        guard let header = rows.first else { return "" }
        var lines = ["| " + header.joined(separator: " | ") + " |",
                     "|" + align.map { $0 == .left ? "---|" : "---:|" }.joined()]
        for row in rows.dropFirst() { lines.append("| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
