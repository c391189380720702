import Foundation
import ZhaorenSynth
import ZhaorenBench
import ZhaorenCoverage

extension DemoReport {
    /// Chinese names of the department files.
    static func chinese(_ file: CityFile) -> String {
        switch file {
        case .police: "公安户籍"
        case .gridSurvey: "网格员入户摸排"
        case .insurance: "参保登记"
        case .students: "在校学生"
        case .dibao: "低保"
        case .tekun: "特困"
        case .disabled: "残疾人"
        case .deaths: "死亡登记"
        case .enterprises: "企业登记"
        case .tax: "税务"
        }
    }

    /// A path relative to the current directory when it lies inside it.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func percent(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f%%", x * 100) }

    /// What the demo did, in Chinese and English: the city, the workflows, the accuracy
    /// against the truth, and the outputs (the coverage report first).
    public var text: String {
        var lines: [String] = []
        let total = files.map(\.rows).reduce(0, +)
        lines.append("Zhaoren demo 找人演示 — a synthetic city of \(Self.count(persons)) persons (seed \(seed)), no real personal data")
        lines.append("")
        lines.append(String(format: "1. Generated the city 生成模拟城市 (%.1f s): %@ rows in %d department files, %@ enterprises",
                            generateSeconds, Self.count(total), files.count, Self.count(enterprisesGenerated)))
        let width = files.map { $0.name.count }.max() ?? 0
        for f in files {
            let name = f.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let rows = Self.count(f.rows)
            lines.append("     \(name)  " + String(repeating: " ", count: max(0, 9 - rows.count)) + rows
                         + " rows  \(Self.chinese(f.file))" + (f.gb18030 ? " (GB18030)" : ""))
        }

        lines.append("")
        lines.append(String(format: "2. Coverage workflow 数据找人 (%.1f s): read %@ rows, %@ rejected",
                            coverageSeconds, Self.count(rowsRead), Self.count(rowsRejected)))
        lines.append("     persons in the population base 人口底数: \(Self.count(basePersons)); needing action 需跟进: \(Self.count(needingAction))")
        if let c = coverage, let rate = c.rate {
            lines.append("     coverage of working-age residents 劳动年龄人口参保率: \(Self.percent(rate)) (\(Self.count(c.insured)) of \(Self.count(c.workingAge)))")
        }
        lines.append("     labels 人员标签:")
        for chunk in stride(from: 0, to: labelCounts.count, by: 4) {
            let part = labelCounts[chunk..<min(chunk + 4, labelCounts.count)]
            lines.append("       " + part.map { "\(CoverageLabelText.chinese($0.label)) \($0.label) \(Self.count($0.count))" }.joined(separator: " · "))
        }
        lines.append("     top actions 主要建议:")
        for a in topActions.prefix(5) {
            let n = Self.count(a.count)
            lines.append("       " + String(repeating: " ", count: max(0, 7 - n.count)) + n + "  \(a.action.text) (\(a.action.name))")
        }
        lines.append("     enterprises 企业: \(Self.count(enterprises))"
                     + (enterpriseLabelCounts.isEmpty ? "" : "; " + enterpriseLabelCounts.map { "\(CoverageLabelText.chinese($0.label)) \($0.label) \(Self.count($0.count))" }.joined(separator: " · ")))

        var step = 3
        for linkage in [dedupe, link].compactMap({ $0 }) {
            lines.append("")
            let verb = linkage.what.contains("→") ? "Linked 关联" : "Deduplicated 去重"
            lines.append(String(format: "%d. %@ %@ (%.1f s): %@ rows, %@ candidate pairs, %@ pairs accepted, %@ clusters of 2+",
                                step, verb, linkage.what, linkage.seconds, Self.count(linkage.rows), Self.count(linkage.candidatePairs),
                                Self.count(linkage.acceptedPairs), Self.count(linkage.clusters)))
            step += 1
        }

        lines.append("")
        lines.append("\(step). Accuracy against the truth 对照真值的准确率:")
        if let p = personLabels {
            lines.append(String(format: "     person labels 人员标签 (%d): precision min %.4f (%@) mean %.4f; recall min %.4f (%@) mean %.4f",
                                p.count, p.minPrecision, p.minPrecisionLabel, p.meanPrecision, p.minRecall, p.minRecallLabel, p.meanRecall))
            for (label, n) in p.unscored.sorted(by: { $0.key < $1.key }) {
                lines.append("       (\(label) \(Self.count(n)): a data-quality finding \(CoverageLabelText.chinese(label)), not in the truth)")
            }
        }
        if let e = enterpriseLabels {
            lines.append(String(format: "     enterprise labels 企业标签 (%d): precision min %.4f mean %.4f; recall min %.4f mean %.4f",
                                e.count, e.minPrecision, e.meanPrecision, e.minRecall, e.meanRecall))
        }
        if let a = areas {
            lines.append(String(format: "     villages 村（社区）: %@ of persons placed in a village (%@ of %@), %@ of those the right one",
                                Self.percent(a.villageShare, digits: 2), Self.count(a.withVillage), Self.count(a.persons),
                                Self.percent(a.correctShare, digits: 2)))
        }
        for linkage in [dedupe, link].compactMap({ $0 }) {
            let a = linkage.accuracy
            lines.append(String(format: "     %@ pairwise 成对: precision %.4f, recall %.4f, F1 %.4f",
                                linkage.what, a.precision, a.recall, a.f1))
        }

        lines.append("")
        lines.append("Outputs 输出:")
        let w = outputs.map { Self.displayWidth($0.what) }.max() ?? 0
        for o in outputs {
            let pad = String(repeating: " ", count: max(0, w - Self.displayWidth(o.what)))
            lines.append("  \(o.what)\(pad)  \(Self.display(o.path))" + (o.files.map { " (\($0) files)" } ?? ""))
        }
        lines.append("")
        lines.append(String(format: "Done in %.1f s. 完成。", totalSeconds))
        return lines.joined(separator: "\n") + "\n"
    }

    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic ? 2 : 1) }
    }
}
