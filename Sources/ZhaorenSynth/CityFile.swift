/// The department files of a synthetic city, by their file name without extension.
public enum CityFile: String, Sendable, Hashable, CaseIterable, Comparable {
    /// 公安户籍: the police household register (clean).
    case police
    /// 网格员入户摸排: the grid workers' door-to-door survey (the noisiest).
    case gridSurvey = "grid_survey"
    /// 参保登记: one row per pension account.
    case insurance
    /// 在校学生: students aged 16–22.
    case students
    /// 低保: minimum-living-allowance households, one row per member.
    case dibao
    /// 特困: persons in extreme poverty.
    case tekun
    /// 残疾人: disability certificates.
    case disabled
    /// 死亡登记: the death register.
    case deaths
    /// 市场监管企业登记: the enterprise registry.
    case enterprises
    /// 税务: the tax list of enterprises.
    case tax

    /// `police.csv`, `grid_survey.csv` ….
    public var fileName: String { rawValue + ".csv" }

    /// The file's name in a city of `shape`: in a real-shaped city the 低保 roster arrives as
    /// the workbook departments send (`dibao.xlsx`: a title, a unit line, the header on row 3).
    ///
    /// ```swift
    /// CityFile.dibao.fileName(in: .real)       // "dibao.xlsx"
    /// ```
    public func fileName(in shape: CityShape) -> String {
        shape == .real && self == .dibao ? rawValue + ".xlsx" : fileName
    }

    /// Whether rows are persons (else enterprises).
    public var isPersonFile: Bool { self != .enterprises && self != .tax }

    /// The Chinese column names of the file in a city of `shape`, in order.
    ///
    /// ```swift
    /// CityFile.gridSurvey.columns(in: .real).first   // "网格编号"
    /// ```
    public func columns(in shape: CityShape) -> [String] {
        guard shape == .real else { return columns }
        switch self {
        case .police: return ["姓名", "公民身份号码", "性别", "出生日期", "民族", "户籍地址", "户籍状态", "注销日期", "户号"]
        case .gridSurvey: return ["网格编号", "网格员", "姓名", "证件号码", "性别", "出生日期", "民族", "联系电话", "现居住地址", "人员类型"]
        case .insurance:
            return ["个人编号", "姓名", "身份证号码", "性别", "险种", "参保地行政区划", "缴费状态", "单位统一社会信用代码", "单位名称",
                    "最后缴费年月", "最后领取待遇年月"]
        default: return columns
        }
    }

    /// Column roles of the file in a city of `shape`: role → header, in file order.
    public func roles(in shape: CityShape) -> [(role: String, column: String)] {
        guard shape == .real else { return roles }
        switch self {
        case .police:
            return [("name", "姓名"), ("id", "公民身份号码"), ("sex", "性别"), ("birth", "出生日期"), ("ethnicity", "民族"),
                    ("address", "户籍地址"), ("household_status", "户籍状态"), ("cancel_date", "注销日期"), ("household", "户号")]
        case .gridSurvey:
            return [("area_code", "网格编号"), ("worker", "网格员"), ("name", "姓名"), ("id", "证件号码"), ("sex", "性别"),
                    ("birth", "出生日期"), ("ethnicity", "民族"), ("phone", "联系电话"), ("address", "现居住地址"),
                    ("resident_type", "人员类型")]
        case .insurance:
            return [("account", "个人编号"), ("name", "姓名"), ("id", "身份证号码"), ("sex", "性别"), ("scheme", "险种"),
                    ("insuring_region", "参保地行政区划"), ("status", "缴费状态"), ("employer_credit_code", "单位统一社会信用代码"),
                    ("employer_name", "单位名称"), ("last_paid_month", "最后缴费年月"), ("last_benefit_month", "最后领取待遇年月")]
        default: return roles
        }
    }

    /// The Chinese column names of the project's own (``CityShape/friendly``) layout, in order.
    public var columns: [String] {
        switch self {
        case .police: ["姓名", "公民身份号码", "性别", "出生日期", "民族", "户籍地址", "县(区)", "乡镇", "村(社区)", "户籍状态", "注销日期", "户号"]
        case .gridSurvey: ["所属网格", "网格员", "姓名", "证件号码", "性别", "出生日期", "民族", "联系电话", "现居住地址", "人员类型"]
        case .insurance: ["个人编号", "姓名", "身份证号码", "性别", "险种", "参保地行政区划", "缴费状态", "单位统一社会信用代码", "最后缴费年月", "最后领取待遇年月"]
        case .students: ["学生姓名", "身份证件号", "性别", "出生日期", "学校名称", "年级", "学籍状态"]
        case .dibao: ["户主姓名", "成员姓名", "身份证号", "与户主关系", "乡镇(街道)", "村(社区)", "保障人数", "月保障金额(元)"]
        case .tekun: ["姓名", "证件号码", "性别", "年龄", "供养方式", "乡镇", "村(社区)"]
        case .disabled: ["姓名", "身份证号码", "残疾人证号", "残疾类别", "残疾等级", "乡镇", "村(社区)", "联系电话"]
        case .deaths: ["姓名", "身份证号码", "性别", "死亡日期", "死亡地点", "登记机关"]
        case .enterprises: ["统一社会信用代码", "企业名称", "企业类型", "成立日期", "登记状态", "登记机关", "住所"]
        case .tax: ["纳税人识别号", "纳税人名称", "主管税务机关", "纳税人状态", "从业人数", "工资总额(元)", "所属期"]
        }
    }

    /// Column roles of the ``CityShape/friendly`` layout for the engine and the coverage
    /// workflow: role → header (in file order).
    public var roles: [(role: String, column: String)] {
        switch self {
        case .police:
            [("name", "姓名"), ("id", "公民身份号码"), ("sex", "性别"), ("birth", "出生日期"), ("ethnicity", "民族"),
             ("address", "户籍地址"), ("area", "县(区)"), ("area", "乡镇"), ("area", "村(社区)"), ("household_status", "户籍状态"), ("cancel_date", "注销日期"), ("household", "户号")]
        case .gridSurvey:
            [("area", "所属网格"), ("worker", "网格员"), ("name", "姓名"), ("id", "证件号码"), ("sex", "性别"), ("birth", "出生日期"),
             ("ethnicity", "民族"), ("phone", "联系电话"), ("address", "现居住地址"), ("resident_type", "人员类型")]
        case .insurance:
            [("account", "个人编号"), ("name", "姓名"), ("id", "身份证号码"), ("sex", "性别"), ("scheme", "险种"),
             ("insuring_region", "参保地行政区划"), ("status", "缴费状态"), ("employer_credit_code", "单位统一社会信用代码"),
             ("last_paid_month", "最后缴费年月"), ("last_benefit_month", "最后领取待遇年月")]
        case .students:
            [("name", "学生姓名"), ("id", "身份证件号"), ("sex", "性别"), ("birth", "出生日期"), ("school", "学校名称"),
             ("grade", "年级"), ("enrolment_status", "学籍状态")]
        case .dibao:
            [("head_name", "户主姓名"), ("name", "成员姓名"), ("id", "身份证号"), ("relation", "与户主关系"), ("area", "乡镇(街道)"),
             ("area", "村(社区)"), ("household_size", "保障人数"), ("monthly_amount", "月保障金额(元)")]
        case .tekun:
            [("name", "姓名"), ("id", "证件号码"), ("sex", "性别"), ("age", "年龄"), ("support_mode", "供养方式"),
             ("area", "乡镇"), ("area", "村(社区)")]
        case .disabled:
            [("name", "姓名"), ("id", "身份证号码"), ("certificate", "残疾人证号"), ("disability_type", "残疾类别"),
             ("disability_level", "残疾等级"), ("area", "乡镇"), ("area", "村(社区)"), ("phone", "联系电话")]
        case .deaths:
            [("name", "姓名"), ("id", "身份证号码"), ("sex", "性别"), ("death_date", "死亡日期"), ("death_place", "死亡地点"),
             ("registrar", "登记机关")]
        case .enterprises:
            [("credit_code", "统一社会信用代码"), ("org_name", "企业名称"), ("org_type", "企业类型"), ("founded", "成立日期"),
             ("registration_status", "登记状态"), ("registrar", "登记机关"), ("address", "住所")]
        case .tax:
            [("credit_code", "纳税人识别号"), ("org_name", "纳税人名称"), ("tax_office", "主管税务机关"), ("taxpayer_status", "纳税人状态"),
             ("headcount", "从业人数"), ("wage_total", "工资总额(元)"), ("period", "所属期")]
        }
    }

    /// The date format of the file's date columns, for settings.
    public var dateFormat: String {
        switch self {
        case .police: "YYYYMMDD"
        case .gridSurvey: "mixed: YYYY/M/D, YYYY年M月D日, YYYYMMDD, YYYY-MM-DD"
        case .insurance: "YYYYMM"
        case .students: "YYYY-MM-DD"
        case .deaths: "YYYY年M月D日"
        case .enterprises: "YYYY-MM-DD"
        case .tax: "YYYYMM"
        case .dibao, .tekun, .disabled: "none"
        }
    }

    /// What the coverage workflow uses the file for: the `kind` of its source in a coverage
    /// settings file (`population`, `insurance`, `students` …), as `manifest.json` records it.
    public var coverageKind: String {
        switch self {
        case .police, .gridSurvey: "population"
        case .insurance, .students, .dibao, .tekun, .disabled, .deaths, .enterprises, .tax: rawValue
        }
    }

    public static func < (a: CityFile, b: CityFile) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
