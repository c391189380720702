import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenCoverage

/// Two hand-made monthly runs: cases resolved, new and persisting, and enrolments counted
/// against the targets table.
@Suite struct ChangesTests {
    typealias F = CoverageFixture
    static let kaicheng = F.area("原州区", "开城镇", "和泉村", "网格1")
    static let xiji = F.area("西吉县", "吉强镇", "龙王坝村", "网格3")

    static let previous = F.result(persons: [
        F.person("640402196606066666", "杨军", .male, born: (1966, 6, 6), kaicheng, labels: ["working_age", "uninsured_should_enrol"], action: 1),
        F.person("640402197003033456", "王芳", .female, born: (1970, 3, 3), F.dongguan, labels: ["working_age", "insured_local", "interrupted"], action: 2),
        F.person("640402198808087777", "马明", .male, born: (1988, 8, 8), F.dongguan, labels: ["working_age", "uninsured_should_enrol"], action: 0),
        F.person("640402199001011234", "张伟", .male, born: (1990, 1, 1), F.dongguan, labels: ["working_age", "uninsured_should_enrol"], action: 0),
        F.person("640402199512120000", "周杰", .male, born: (1995, 12, 12), F.dongguan, labels: ["working_age", "insured_local", "interrupted"], action: 2),
    ])

    static let current = F.result(persons: [
        F.person("640402196606066666", "杨军", .male, born: (1966, 6, 6), kaicheng, labels: ["deceased"]),
        F.person("640402197003033456", "王芳", .female, born: (1970, 3, 3), F.dongguan, labels: ["working_age", "insured_local", "interrupted"], action: 2),
        F.person("640402199001011234", "张伟", .male, born: (1990, 1, 1), F.dongguan, labels: ["working_age", "insured_local"]),
        F.person("640402199512120000", "周杰", .male, born: (1995, 12, 12), F.dongguan, labels: ["working_age", "insured_local"]),
        F.person("640402200005055678", "刘洋", .male, born: (2000, 5, 5), xiji, labels: ["working_age", "insured_elsewhere"]),
    ])

    /// Writes the previous run into one folder and returns it (the caller removes it).
    static func previousFolder() throws -> URL {
        let dir = F.folder()
        try CoverageOutput(previous).write(to: dir)
        return dir
    }

    @Test func writesNewAndResolvedSortedByKeyThenLabel() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let written = try CoverageOutput(Self.current).write(to: dir1, previous: dir0)
        #expect(written.files.contains("changes.csv"))
        #expect(try F.text(dir1.appendingPathComponent("changes.csv")) == """
            key,label,change
            640402196606066666,deceased,new
            640402196606066666,working_age,resolved
            640402196606066666,uninsured_should_enrol,resolved
            640402198808087777,working_age,resolved
            640402198808087777,uninsured_should_enrol,resolved
            640402199001011234,insured_local,new
            640402199001011234,uninsured_should_enrol,resolved
            640402199512120000,interrupted,resolved
            640402200005055678,working_age,new
            640402200005055678,insured_elsewhere,new

            """)
        let changes = try #require(written.summary.changes)
        #expect(changes.total == .init(new: 4, resolved: 6, persisting: 6))
        #expect(changes.labels["uninsured_should_enrol"] == .init(new: 0, resolved: 3, persisting: 0))
        #expect(changes.labels["interrupted"] == .init(new: 0, resolved: 1, persisting: 1))
        #expect(changes.labels["working_age"] == .init(new: 1, resolved: 2, persisting: 3))
        // 张伟 enrolled, 周杰 resumed; 杨军 died, 马明 left the base, 王芳 is still interrupted.
        #expect(changes.enrolled == 2)
    }

    @Test func countsChangesPerArea() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let changes = try #require(try CoverageOutput(Self.current).write(to: dir1, previous: dir0).summary.changes)
        // 马明 is gone from the base: his cases count in 东关村, his area in the previous persons.csv.
        #expect(changes.villages == [
            .init(county: "原州区", township: "开城镇", village: "和泉村", new: 1, resolved: 2, enrolled: 0),
            .init(county: "原州区", township: "清河镇", village: "东关村", new: 1, resolved: 4, enrolled: 2),
            .init(county: "西吉县", township: "吉强镇", village: "龙王坝村", new: 2, resolved: 0, enrolled: 0),
        ])
        #expect(changes.townships.map(\.resolved) == [2, 4, 0])
        #expect(changes.counties == [
            .init(county: "原州区", township: nil, village: nil, new: 2, resolved: 6, enrolled: 2),
            .init(county: "西吉县", township: nil, village: nil, new: 2, resolved: 0, enrolled: 0),
        ])
    }

    @Test func vanishedPersonsWithoutPreviousPersonsFileCountInTheUnknownArea() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        try FileManager.default.removeItem(at: dir0.appendingPathComponent("persons.csv"))
        let changes = try #require(try CoverageOutput(Self.current).write(to: dir1, previous: dir0).summary.changes)
        #expect(changes.villages.first == .init(county: "", township: "", village: "", new: 0, resolved: 2, enrolled: 0))
    }

    @Test func writesPersistingRowsOnlyWhenAsked() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        try CoverageOutput(Self.current).write(to: dir1, options: .init(previous: dir0, includePersisting: true))
        let lines = try F.text(dir1.appendingPathComponent("changes.csv")).split(separator: "\n")
        #expect(lines.count == 1 + 4 + 6 + 6)
        #expect(lines.contains("640402197003033456,interrupted,persisting"))
    }

    @Test func previousMayBeTheOutputFolderItself() throws {
        let dir = try Self.previousFolder()
        defer { Scratch.remove(dir) }
        let changes = try #require(try CoverageOutput(Self.current).write(to: dir, previous: dir).summary.changes)
        #expect(changes.total == .init(new: 4, resolved: 6, persisting: 6))
        // And the folder now holds the current run.
        #expect(try F.text(dir.appendingPathComponent("labels.csv")).contains("640402200005055678,insured_elsewhere"))
    }

    @Test func aRunComparedWithItselfHasOnlyPersistingCases() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let changes = try #require(try CoverageOutput(Self.previous).write(to: dir1, previous: dir0).summary.changes)
        #expect(changes.total == .init(new: 0, resolved: 0, persisting: 12))
        #expect(changes.enrolled == 0)
        #expect(try F.text(dir1.appendingPathComponent("changes.csv")) == "key,label,change\n")
    }

    @Test func acceptsAHandWrittenPreviousFileOutOfOrder() throws {
        let dir0 = F.folder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        // Keys out of order, a key in two places, a label the current run no longer defines.
        try """
            key,label
            640402199512120000,interrupted
            640402199001011234,uninsured_should_enrol
            640402199512120000,old_label
            640402199001011234,working_age

            """.write(to: dir0.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        let written = try CoverageOutput(Self.current).write(to: dir1, previous: dir0)
        let changes = try #require(written.summary.changes)
        #expect(changes.labels["old_label"] == .init(new: 0, resolved: 1, persisting: 0))
        #expect(changes.enrolled == 2)
        let text = try F.text(dir1.appendingPathComponent("changes.csv"))
        #expect(text.contains("640402199512120000,interrupted,resolved\n640402199512120000,old_label,resolved\n"))
    }

    @Test func reportsProgressAgainstTargets() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let inputs = F.folder()
        defer { Scratch.remove(inputs) }
        let targets = inputs.appendingPathComponent("targets.csv")
        try "area,target\n清河镇,4\n原州区/清河镇/东关村,1\n不存在村,5\n西吉县,0\n和泉村,\"3\"\n".write(to: targets, atomically: true, encoding: .utf8)
        let summary = try CoverageOutput(Self.current).write(to: dir1, previous: dir0, targets: targets).summary
        #expect(summary.targets == [
            .init(area: "清河镇", target: 4, achieved: 2, progress: 0.5, matched: ["原州区/清河镇"]),
            .init(area: "原州区/清河镇/东关村", target: 1, achieved: 2, progress: 2, matched: ["原州区/清河镇/东关村"]),
            .init(area: "不存在村", target: 5, achieved: 0, progress: 0, matched: []),
            .init(area: "西吉县", target: 0, achieved: 0, progress: nil, matched: ["西吉县"]),
            .init(area: "和泉村", target: 3, achieved: 0, progress: 0, matched: ["原州区/开城镇/和泉村"]),
        ])
        let json = try F.text(dir1.appendingPathComponent("summary.json"))
        #expect(json.contains("\"enrolled\" : 2"))
        #expect(json.contains("\"area\" : \"清河镇\""))
    }

    @Test func targetsAcceptChineseHeadersAndCountAnAreaOnce() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let inputs = F.folder()
        defer { Scratch.remove(inputs) }
        let targets = inputs.appendingPathComponent("targets.csv")
        // 原州区 matches the county only; 东关村 both as a plain name and a path is still one village.
        try "\u{FEFF}地区,目标任务\r\n原州区,10\r\n".write(to: targets, atomically: true, encoding: .utf8)
        let summary = try CoverageOutput(Self.current).write(to: dir1, previous: dir0, targets: targets).summary
        #expect(summary.targets == [.init(area: "原州区", target: 10, achieved: 2, progress: 0.2, matched: ["原州区"])])
    }

    /// The error `body` throws, if any.
    static func failure(_ body: () throws(ZhaorenError) -> Void) -> ZhaorenError? {
        do { try body() } catch { return error }
        return nil
    }

    @Test func rejectsBadTargetsAndTargetsWithoutPrevious() throws {
        let dir0 = try Self.previousFolder(), dir1 = F.folder()
        defer { Scratch.remove(dir0); Scratch.remove(dir1) }
        let inputs = F.folder()
        defer { Scratch.remove(inputs) }
        let targets = inputs.appendingPathComponent("targets.csv")
        try "area,target\n清河镇,4\n西吉县,abc\n".write(to: targets, atomically: true, encoding: .utf8)
        let bad = Self.failure { () throws(ZhaorenError) in
            try CoverageOutput(Self.current).write(to: dir1, previous: dir0, targets: targets)
        }
        #expect(bad?.code == .malformedInput)
        #expect(bad?.line == 3 && bad?.column == 2 && bad?.file == targets.path)
        let alone = Self.failure { () throws(ZhaorenError) in try CoverageOutput(Self.current).write(to: dir1, targets: targets) }
        #expect(alone?.code == .invalidArgument)
        try "name,target\n清河镇,4\n".write(to: targets, atomically: true, encoding: .utf8)
        let header = Self.failure { () throws(ZhaorenError) in
            try CoverageOutput(Self.current).write(to: dir1, previous: dir0, targets: targets)
        }
        #expect(header?.code == .missingColumn)
    }

    @Test func rejectsAPreviousFolderWithoutLabels() {
        let empty = F.folder(), out = F.folder()
        defer { Scratch.remove(empty); Scratch.remove(out) }
        let error = Self.failure { () throws(ZhaorenError) in try CoverageOutput(Self.current).write(to: out, previous: empty) }
        #expect(error?.code == .io)
    }
}
