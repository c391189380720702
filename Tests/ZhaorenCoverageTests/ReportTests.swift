import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenCoverage

/// A city of `townships` townships in two counties, one village each, with coverage falling
/// from township to township (no randomness needed).
func largeCity(townships: Int) -> CoverageResult {
    var persons: [CoveragePerson] = []
    for t in 0..<townships {
        let area = AreaPath(county: t % 2 == 0 ? "原州区" : "西吉县", township: "第\(t + 1)镇", village: "中心村", grid: "网格1")
        for k in 0..<20 {
            let insured = k < 20 - t % 15
            let id = String(format: "6404%02d19900101%04d", t % 100, t * 20 + k)
            persons.append(CoverageFixture.person(id, "人\(k)", k % 2 == 0 ? .male : .female, born: (1990, 1, 1), area,
                                                  labels: insured ? ["working_age", "insured_local"] : ["working_age", "uninsured_should_enrol"],
                                                  action: insured ? nil : 0))
        }
    }
    persons.sort { $0.key < $1.key }
    var result = CoverageFixture.result(persons: persons)
    var weights: [Float] = []
    for i in 0..<2000 {
        let spread = Float(i * 7919 % 1000) / 60
        weights.append(8 + spread + (i % 5 == 0 ? 6 : 0))
    }
    result.matchWeights = weights
    return result
}

@Suite struct ReportTests {
    static func report(_ result: CoverageResult = CoverageFixture.result(), previous: URL? = nil, targets: URL? = nil,
                       unmask: Bool = false) throws -> String {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(result).write(to: dir, options: .init(unmask: unmask, previous: previous, targets: targets))
        return try CoverageFixture.text(dir.appendingPathComponent("report.html"))
    }

    @Test func escapesNamesFromTheData() throws {
        let html = try Self.report(unmask: true)
        #expect(html.contains("<td>赵&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        #expect(html.contains("宁夏&lt;甲&gt;&amp;乙有限公司"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<甲>"))
        // Masked by default: the surname only, and the ID number's region and last four.
        let masked = try Self.report()
        #expect(!masked.contains("赵&lt;script") && masked.contains("<td>赵"))
    }

    @Test func isSelfContained() throws {
        let html = try Self.report()
        for needle in ["src=", "url(", "@import", "<link", "<script", "<iframe"] {
            #expect(!html.lowercased().contains(needle), "report.html contains \(needle)")
        }
        // The only links are to the worklists beside it, relative, so the folder can move whole.
        let links = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!links.isEmpty)
        #expect(links.allSatisfy { $0.hasPrefix("worklists/") && $0.hasSuffix(".xlsx") })
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
    }

    @Test func showsHeadlineChartsAndSections() throws {
        let html = try Self.report()
        #expect(html.contains("<strong id=\"as-of\">2026-04-30</strong>"))
        #expect(html.contains(#"<div class="card" id="card-coverage"><div class="num">75.0%</div>"#))
        #expect(html.contains(#"<div class="card" id="card-persons"><div class="num">6</div>"#))
        // Labels, actions, weights; no county or township has 20 working-age residents to rank.
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains("未参与排名"))
        for id in ["headline", "act", "coverage-county", "coverage-township", "coverage-village", "labels", "actions", "weights",
                   "enterprises", "anomalies", "quality", "timings"] {
            #expect(html.contains("<section id=\"\(id)\">"), "missing section \(id)")
        }
        #expect(!html.contains("<section id=\"changes\">"))
        #expect(!html.contains("<section id=\"targets\">"))
        // 开城镇 has no working-age person: no bar, no division by zero.
        #expect(!html.contains("NaN"))
        // ID issues in Chinese, with what they mean and whether someone must check them.
        #expect(html.contains("校验位错误 <span class=\"en mono\">bad_checksum</span>"))
        #expect(html.contains("<span class=\"warn\">需核实</span>"))
        #expect(html.contains("被 Excel 改为科学计数法"))
        // Match weights and timings are in the appendix, after everything an official reads.
        let appendix = try #require(html.range(of: "class=\"appendix\""))
        #expect(try #require(html.range(of: "<section id=\"weights\">")).lowerBound > appendix.lowerBound)
        #expect(try #require(html.range(of: "<section id=\"quality\">")).lowerBound < appendix.lowerBound)
        #expect(html.contains("@media print"))
    }

    @Test func whereToActSortsByNeedAndLinksWorklists() throws {
        let html = try Self.report()
        let start = try #require(html.range(of: "<section id=\"act\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = String(html[start.upperBound..<end.lowerBound])
        // 东关村 has two persons needing action, 和泉村 one; the unknown area one.
        let dongguan = try #require(section.range(of: "<a href=\"worklists/%E5%8E%9F%E5%B7%9E%E5%8C%BA-%E6%B8%85%E6%B2%B3%E9%95%87-%E4%B8%9C%E5%85%B3%E6%9D%91.xlsx\">东关村</a>"))
        let hequan = try #require(section.range(of: ">和泉村</a>"))
        #expect(dongguan.lowerBound < hequan.lowerBound)
        #expect(section.contains("<td class=\"r need\">2</td>"))
        #expect(section.contains("应参未参"))
        // Townships too, by need.
        #expect(section.contains("<td>原州区</td><td>清河镇</td><td class=\"r\">3</td><td class=\"r need\">2</td>"))
    }

    @Test func countyChartAxisIsZoomedToTheRates() throws {
        #expect(SVGChart.zoomedRange([0.709, 0.795]) == 0.65...0.85)
        #expect(SVGChart.zoomedRange([0.9, 0.93]) == 0.85...1.0)
        #expect(SVGChart.zoomedRange([0.02]) == 0...0.1)
        #expect(SVGChart.zoomedRange([]) == nil)
        let bars = [SVGChart.Bar(label: "甲", value: 0.709, text: "70.9%"), SVGChart.Bar(label: "乙", value: 0.795, text: "79.5%")]
        let svg = SVGChart.horizontalBars(bars, max: 1, percent: true, zoom: true, title: "t")
        #expect(svg.contains(">65%<") && svg.contains(">85%<") && !svg.contains(">0%<"))
        // Colours against the city: well below, just below, at or above.
        #expect(CoverageReport.rateColor(0.70, city: 0.79) == "#c0392b")
        #expect(CoverageReport.rateColor(0.77, city: 0.79) == "#e08e0b")
        #expect(CoverageReport.rateColor(0.80, city: 0.79) == "#27865a")
    }

    @Test func showsChangesAndTargetsWithAPreviousRun() throws {
        let dir0 = try ChangesTests.previousFolder()
        defer { Scratch.remove(dir0) }
        let targetsFolder = CoverageFixture.folder()
        defer { Scratch.remove(targetsFolder) }
        let targets = targetsFolder.appendingPathComponent("targets.csv")
        try "area,target\n清河镇,4\n不存在村,5\n".write(to: targets, atomically: true, encoding: .utf8)
        let html = try Self.report(ChangesTests.current, previous: dir0, targets: targets)
        #expect(html.contains("<section id=\"changes\">"))
        #expect(html.contains("<section id=\"targets\">"))
        #expect(html.contains(#"<div class="card" id="card-enrolled"><div class="num">2</div>"#))
        #expect(html.contains("<td>清河镇</td><td class=\"r\">4</td><td class=\"r\">2</td><td class=\"r\">50.0%</td>"))
        #expect(html.contains("未匹配 not found"))
    }

    @Test func townshipChartShowsTheLowestRatesOnly() throws {
        let html = try Self.report(largeCity(townships: 120))
        let start = try #require(html.range(of: "<section id=\"coverage-township\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = String(html[start.upperBound..<end.lowerBound])
        #expect(section.components(separatedBy: "<rect").count - 1 == CoverageReport.chartRowLimit)
        // Every row is 22 px high.
        #expect(section.contains(#"viewBox="0 0 820 \#(22 + CoverageReport.chartRowLimit * 22 + 26)""#))
        // Lowest coverage first: the first bar is a township at 6 of 20 (30%).
        let firstValue = try #require(section.range(of: "class=\"value\">"))
        #expect(section[firstValue.upperBound...].hasPrefix("30.0% (6/20)"))
        #expect(section.contains("另有 90 个见上方"))
        // Every township is in the table of where to act.
        let act = try #require(html.range(of: "<h3 id=\"act-townships\">"))
        #expect(html[act.upperBound...].contains("<td>第120镇</td>"))
    }

    @Test func onlyAreasWithMeaningfulDenominatorsAreRanked() throws {
        var city = largeCity(townships: 40)
        // The last 10 townships get a single working-age resident each (0 % or 100 % of 1 says nothing).
        let small = Set((30..<40).map { "第\($0 + 1)镇" })
        city.persons.removeAll { small.contains($0.area.township) && !$0.name.hasSuffix("人0") }
        // And one person with an unknown township.
        city.persons.append(CoverageFixture.person("640402199909090001", "某", .male, born: (1999, 9, 9),
                                                   AreaPath(county: "原州区", township: "", village: "", grid: ""),
                                                   labels: ["working_age", "uninsured_should_enrol"], action: 0))
        let html = try Self.report(city)
        let start = try #require(html.range(of: "<section id=\"coverage-township\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = String(html[start.upperBound..<end.lowerBound])
        #expect(section.components(separatedBy: "<rect").count - 1 == 30)
        #expect(section.contains("11 个地区未参与排名"))
        #expect(!section.contains("第31镇<") && !section.contains("原州区 · 未知"))
    }

    @Test func chartHelpers() {
        #expect(SVGChart.niceTicks(7) == [0, 2, 4, 6, 8])
        #expect(SVGChart.niceTicks(1234) == [0, 500, 1000, 1500])
        #expect(SVGChart.niceTicks(0) == [0, 1])
        #expect(SVGChart.grouped(1_214_000) == "1,214,000")
        #expect(SVGChart.grouped(-512) == "-512")
        #expect(SVGChart.fixed(2.345, 1) == "2.3" || SVGChart.fixed(2.345, 1) == "2.4")
        #expect(SVGChart.fixed(-0.04, 1) == "0.0")
        #expect(CoverageReport.percent(0.666667) == "66.7%")
        #expect(SVGChart.fit("一二三四五六七八九十", 60) == "一二三…")
        #expect(SVGChart.histogram([], title: "t", xCaption: "x").contains("无数据"))
        #expect(HTMLText.escape(#"<a href="x">&'"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }
}

/// The report opened in a real browser: Debian's `chromium`, headless. Skipped when it is
/// not installed (`apt-get install -y chromium`).
@Suite struct ReportBrowserTests {
    static let chromium = HeadlessChromium.path

    /// Runs chromium headless with `arguments` and returns its standard output.
    static func runChromium(_ arguments: [String], profile: URL) throws -> (status: Int32, stdout: String) {
        try HeadlessChromium.run(arguments, profile: profile)
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install -y chromium); browser check skipped"),
          .timeLimit(.minutes(2)))
    func reportLoadsInHeadlessChromium() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let dir0 = try ChangesTests.previousFolder()
        defer { Scratch.remove(dir0) }
        let targetsFolder = try Scratch.folder("report-targets")
        defer { Scratch.remove(targetsFolder) }
        let targets = targetsFolder.appendingPathComponent("targets.csv")
        try "area,target\n清河镇,4\n".write(to: targets, atomically: true, encoding: .utf8)
        try CoverageOutput(ChangesTests.current).write(to: dir, previous: dir0, targets: targets)
        let page = dir.appendingPathComponent("report.html")
        let profile = targetsFolder.appendingPathComponent("chromium-profile")

        let dom = try Self.runChromium(["--dump-dom", page.absoluteString], profile: profile)
        #expect(dom.status == 0)
        #expect(dom.stdout.contains("数据找人 · 参保扩面报告"))
        #expect(dom.stdout.contains("<strong id=\"as-of\">2026-04-30</strong>"))
        #expect(dom.stdout.contains("id=\"card-coverage\""))
        // The parsed DOM holds the inline SVG charts as SVG elements.
        #expect(dom.stdout.components(separatedBy: "<svg").count - 1 >= 4)
        // The links to the worklists are relative and resolve to files beside the report.
        #expect(dom.stdout.contains("<a href=\"worklists/"))
        #expect(dom.stdout.contains("<section id=\"targets\">"))

        let shot = targetsFolder.appendingPathComponent("report.png")
        let screenshot = try Self.runChromium(["--screenshot=\(shot.path)", "--window-size=900,3000", "--hide-scrollbars",
                                               page.absoluteString], profile: profile)
        #expect(screenshot.status == 0)
        let png = try Data(contentsOf: shot)
        #expect(png.count > 10_000)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        if let keep = ProcessInfo.processInfo.environment["ZHAOREN_KEEP_REPORT"] {
            let target = URL(fileURLWithPath: keep)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: dir, to: target)
        }
    }
}
