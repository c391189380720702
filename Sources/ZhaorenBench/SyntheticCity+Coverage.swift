import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenCoverage
import ZhaorenSynth

extension SyntheticCity {
    /// The coverage settings for this city's files (written as `coverage.json`), so that
    /// `zhaoren coverage --settings DIR/coverage.json` works at once.
    ///
    /// ```swift
    /// let settings = city.coverageSettings(gb18030: [.gridSurvey])
    /// print(settings.json())
    /// ```
    public func coverageSettings(gb18030: Set<CityFile>) -> CoverageSettings {
        func source(_ file: CityFile, _ columns: [String: CoverageColumns]) -> CoverageSource {
            CoverageSource(name: file.rawValue, path: file.fileName(in: config.shape), kind: CoverageSourceKind(rawValue: file.coverageKind)!,
                           encoding: gb18030.contains(file) ? "gb18030" : "auto", columns: columns)
        }
        let prefixes = Set((cityRegionCodes + formerRegionCodes).map { String($0.prefix(4)) }).sorted()
        let real = config.shape == .real
        let police: [String: CoverageColumns] = real
            ? ["name": "姓名", "id": "公民身份号码", "sex": "性别", "birth": "出生日期", "address": "户籍地址",
               "household_status": "户籍状态", "cancel_date": "注销日期"]
            : ["name": "姓名", "id": "公民身份号码", "sex": "性别", "birth": "出生日期",
               "county": "县(区)", "township": "乡镇", "village": "村(社区)", "household_status": "户籍状态", "cancel_date": "注销日期"]
        let survey: [String: CoverageColumns] = real
            ? ["name": "姓名", "id": "证件号码", "sex": "性别", "birth": "出生日期", "phone": "联系电话",
               "area_code": "网格编号", "address": "现居住地址"]
            : ["name": "姓名", "id": "证件号码", "sex": "性别", "birth": "出生日期", "phone": "联系电话",
               "grid": "所属网格", "address": "现居住地址"]
        var insurance: [String: CoverageColumns] = [
            "name": "姓名", "id": "身份证号码", "sex": "性别", "scheme": "险种", "insuring_region": "参保地行政区划",
            "status": "缴费状态", "employer": "单位统一社会信用代码", "last_paid": "最后缴费年月",
            "last_benefit": "最后领取待遇年月"]
        if real { insurance["employer_name"] = "单位名称" }
        return CoverageSettings(
            asOf: config.asOf.description,
            localRegionPrefixes: prefixes,
            matchThreshold: 0.9,
            sources: [
                source(.police, police),
                source(.gridSurvey, survey),
                source(.insurance, insurance),
                source(.students, ["name": "学生姓名", "id": "身份证件号", "sex": "性别", "birth": "出生日期"]),
                source(.dibao, ["name": "成员姓名", "id": "身份证号"]),
                source(.tekun, ["name": "姓名", "id": "证件号码", "sex": "性别"]),
                source(.disabled, ["name": "姓名", "id": "身份证号码", "disability_level": "残疾等级", "phone": "联系电话"]),
                source(.deaths, ["name": "姓名", "id": "身份证号码", "sex": "性别", "death_date": "死亡日期"]),
                source(.enterprises, ["credit_code": "统一社会信用代码", "org_name": "企业名称"]),
                source(.tax, ["credit_code": "纳税人识别号", "org_name": "纳税人名称", "headcount": "从业人数", "wage_total": "工资总额(元)"]),
            ],
            labels: CoverageSettings.defaultLabels,
            actions: CoverageSettings.defaultActions,
            enterpriseLabels: CoverageSettings.defaultEnterpriseLabels,
            deceasedStatuses: ["死亡注销"]
        )
    }
}

/// A synthetic city as `zhaoren generate` writes it: the department files and the truth
/// (``SyntheticCity/write(to:gb18030:threads:)``), plus `coverage.json`, the coverage settings
/// for those files, so that `zhaoren coverage --settings DIR/coverage.json` works at once.
///
/// ```swift
/// let city = try SyntheticCity(CityConfig(persons: 10_000, seed: 1))
/// let summary = try CityFolder.write(city, to: URL(fileURLWithPath: "city"))
/// ```
public enum CityFolder {
    /// Writes `city` and its coverage settings into `folder`; with `stacked`, also the stacked
    /// population file and its truth (``StackedPopulation/write(city:)``), in the same unit, so
    /// that writing the city again into the same folder replaces them too.
    ///
    /// ```swift
    /// let (summary, population) = try CityFolder.write(city, to: URL(fileURLWithPath: "city"), stacked: true)
    /// print(summary.totalRows, population?.rows ?? 0)
    /// ```
    /// - Returns: the city's summary, and the stacked file's rows when `stacked`.
    @discardableResult
    public static func write(_ city: SyntheticCity, to folder: URL, gb18030: Set<CityFile> = [.gridSurvey],
                             threads: Int? = nil, stacked: Bool) throws(ZhaorenError) -> (CitySummary, StackedPopulation.Written?) {
        let out = try OutputFolder(folder, expectedBytes: city.expectedBytes * (stacked ? 2 : 1))
        let summary = try city.write(into: out, gb18030: gb18030, threads: threads)
        try AtomicFile.write(city.coverageSettings(gb18030: gb18030).json(), to: out.file("coverage.json"))
        let population = stacked ? try StackedPopulation.write(city: out.staging) : nil
        try out.commit()
        return (summary, population)
    }

    /// Writes `city` and its coverage settings into `folder` (no stacked file).
    @discardableResult
    public static func write(_ city: SyntheticCity, to folder: URL, gb18030: Set<CityFile> = [.gridSurvey],
                             threads: Int? = nil) throws(ZhaorenError) -> CitySummary {
        try write(city, to: folder, gb18030: gb18030, threads: threads, stacked: false).0
    }
}
