import Zhaoren

extension CoverageSettings {
    /// The person labels of the 数据找人 workflow, as rules. Facts available to them:
    ///
    /// | fact | meaning |
    /// |---|---|
    /// | `age` | whole years at the reference date (missing without a birth date) |
    /// | `sex` | `"M"` or `"F"` |
    /// | `as_of_month` | the reference month as `YYYYMM` |
    /// | `in_population` | found in a population source |
    /// | `in_students`, `in_dibao`, `in_tekun`, `in_disabled`, `in_deaths` | listed in such a source |
    /// | `police_deceased` | a population record's `household_status` is a deceased status |
    /// | `death_month` | `YYYYMM` of the earliest death-register date, else of the population register's `cancel_date` for a deceased status |
    /// | `disability_level` | the most severe level recorded (1 = most severe) |
    /// | `identity_resolved` | the person has a valid ID number, or a record linked with confidence |
    /// | `in_NAME` | linked to a record of the source of kind `list` named NAME |
    /// | `NAME.field` | the value of a fact column (`"facts": {"field": "表头"}`) of source NAME, from the person's first record with one (a whole number is a number) |
    ///
    /// and the collection `accounts` with fields `scheme`, `status`, `local` (insured under one of
    /// the city's codes), `region`, `employer`, `last_paid`, `last_benefit` (`YYYYMM`).
    public static let defaultLabels: [RuleBook.Rule] = [
        .init(name: "deceased", when: "in_deaths or police_deceased"),
        .init(name: "over_60", when: "not deceased and age >= 60"),
        .init(name: "working_age", when: "not deceased and age >= 16 and age <= 59"),
        .init(name: "student", when: "in_students"),
        .init(name: "dibao", when: "in_dibao"),
        .init(name: "tekun", when: "in_tekun"),
        .init(name: "disabled", when: "in_disabled"),
        .init(name: "insured_local", when: #"any(accounts where local and status != "终止参保")"#),
        .init(name: "insured_elsewhere", when: #"any(accounts where not local and status != "终止参保")"#),
        .init(name: "paying", when: #"not deceased and any(accounts where status == "正常缴费")"#),
        .init(name: "receiving_pension", when: #"not deceased and any(accounts where status == "待遇领取")"#),
        .init(name: "interrupted", when: #"not deceased and none(accounts where status in ["正常缴费", "待遇领取"]) and any(accounts where status == "中断缴费")"#),
        .init(name: "suspended", when: #"not deceased and none(accounts where status in ["正常缴费", "待遇领取"]) and not interrupted and any(accounts where status == "暂停缴费")"#),
        .init(name: "uninsured_should_enrol", when: #"working_age and not student and none(accounts where status != "终止参保")"#),
        .init(name: "deceased_but_paid", when: #"deceased and any(accounts where local and status == "待遇领取" and last_benefit > death_month)"#),
        .init(name: "duplicate_enrolment", when: #"not deceased and count(accounts where status in ["正常缴费", "待遇领取"]) >= 2"#),
        .init(name: "unresolved_identity", when: "not identity_resolved"),
    ]

    /// Recommended actions in priority order (the first that holds is the person's action),
    /// following the seed documents' rules.
    public static let defaultActions: [RuleBook.Rule] = [
        .init(name: "stop_payment", when: "deceased_but_paid", text: "停发待遇，核实并追回死亡后领取的养老金"),
        .init(name: "verify_identity", when: "unresolved_identity and not deceased", text: "身份信息不全或有误，到派出所核实户籍信息"),
        .init(name: "merge_accounts", when: "duplicate_enrolment", text: "重复参保，合并或清理多余账户"),
        .init(name: "government_paid", when: "(dibao or tekun or (disabled and disability_level <= 2)) and (uninsured_should_enrol or interrupted)", text: "困难群体，按政策由政府代缴城乡居民养老保险费"),
        .init(name: "transfer", when: #"not deceased and not insured_local and any(accounts where not local and status in ["中断缴费", "暂停缴费"])"#, text: "区外参保已停缴，动员转移接续到本地参保"),
        .init(name: "resume", when: "interrupted", text: "中断缴费，动员恢复缴费"),
        .init(name: "back_pay", when: "not deceased and age >= 60 and count(accounts) == 0", text: "60周岁以上未参保，动员以补缴方式参加城乡居民基本养老保险"),
        .init(name: "enterprise_pension", when: #"uninsured_should_enrol and ((sex == "M" and age < 45) or (sex == "F" and age < 40))"#, text: "动员参加企业职工基本养老保险"),
        .init(name: "resident_pension", when: "uninsured_should_enrol", text: "动员参加城乡居民基本养老保险"),
    ]

    /// Enterprise labels. Facts: `in_registry`, `in_tax`, `headcount`, `wage_total` (yuan,
    /// rounded), and the collection `accounts` (the accounts whose employer is this enterprise)
    /// with fields `scheme`, `status`, `local`.
    public static let defaultEnterpriseLabels: [RuleBook.Rule] = [
        .init(name: "ent_no_insurance", when: #"in_tax and headcount >= 1 and none(accounts where scheme == "企业职工基本养老保险" and status == "正常缴费")"#),
        .init(name: "ent_partial_insurance", when: #"in_tax and count(accounts where scheme == "企业职工基本养老保险" and status == "正常缴费") >= 1 and count(accounts where scheme == "企业职工基本养老保险" and status == "正常缴费") < headcount"#),
        .init(name: "ent_unregistered", when: "in_tax and not in_registry"),
    ]

    /// The rule that says which employee accounts count as insured staff of an enterprise
    /// (for the "insured employees" figure).
    public static let insuredEmployeeRule = #"scheme == "企业职工基本养老保险" and status == "正常缴费""#

    /// A complete example, as `zhaoren coverage --example-settings` prints it.
    public static var example: CoverageSettings {
        CoverageSettings(
            asOf: "2026-11-01",
            localRegionPrefixes: ["6404", "6422"],
            matchThreshold: 0.9,
            sources: [
                CoverageSource(name: "police", path: "police.csv", kind: .population, encoding: "auto", columns: [
                    "name": "姓名", "id": "公民身份号码", "sex": "性别", "birth": "出生日期",
                    "address": "户籍地址", "household_status": "户籍状态", "cancel_date": "注销日期"], area: .registration),
                CoverageSource(name: "grid_survey", path: "grid_survey.csv", kind: .population, encoding: "gb18030", columns: [
                    "name": "姓名", "id": "证件号码", "sex": "性别", "birth": "出生日期", "phone": "联系电话",
                    "area_code": "网格编号", "address": "现居住地址"], area: .residence),
                CoverageSource(name: "insurance", path: "insurance.csv", kind: .insurance, columns: [
                    "name": "姓名", "id": "身份证号码", "sex": "性别", "scheme": "险种", "insuring_region": "参保地行政区划",
                    "status": "缴费状态", "employer": "单位统一社会信用代码", "employer_name": "单位名称",
                    "last_paid": "最后缴费年月", "last_benefit": "最后领取待遇年月"]),
                CoverageSource(name: "veterans", path: "veterans.csv", kind: .list, columns: [
                    "name": "姓名", "id": "身份证号", "township": "乡镇(街道)", "village": "村(社区)"],
                    facts: ["category": "优抚类别"]),
                CoverageSource(name: "students", path: "students.csv", kind: .students, columns: ["name": "学生姓名", "id": "身份证件号", "birth": "出生日期"]),
                CoverageSource(name: "dibao", path: "dibao.csv", kind: .dibao, columns: ["name": "成员姓名", "id": "身份证号"]),
                CoverageSource(name: "tekun", path: "tekun.csv", kind: .tekun, columns: ["name": "姓名", "id": "证件号码"]),
                CoverageSource(name: "disabled", path: "disabled.csv", kind: .disabled, columns: ["name": "姓名", "id": "身份证号码", "disability_level": "残疾等级"]),
                CoverageSource(name: "deaths", path: "deaths.csv", kind: .deaths, columns: ["name": "姓名", "id": "身份证号码", "death_date": "死亡日期"]),
                CoverageSource(name: "enterprises", path: "enterprises.csv", kind: .enterprises, columns: ["credit_code": "统一社会信用代码", "org_name": "企业名称"]),
                CoverageSource(name: "tax", path: "tax.csv", kind: .tax, columns: [
                    "credit_code": "纳税人识别号", "org_name": "纳税人名称", "headcount": "从业人数", "wage_total": "工资总额(元)"]),
            ],
            labels: defaultLabels + [
                .init(name: "veteran_uninsured", when: #"in_veterans and veterans.category == "伤残军人" and uninsured_should_enrol"#),
            ],
            actions: [.init(name: "veteran_visit", when: "veteran_uninsured", text: "走访伤残军人，优先动员参保")] + defaultActions,
            enterpriseLabels: defaultEnterpriseLabels,
            deceasedStatuses: ["死亡注销", "死亡"]
        )
    }
}
