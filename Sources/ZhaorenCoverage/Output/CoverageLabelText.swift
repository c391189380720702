/// Chinese display names of the standard coverage labels, for worklists and the report.
/// Labels that settings define beyond these are shown by their code.
///
/// ```swift
/// CoverageLabelText.chinese("uninsured_should_enrol")   // "应参未参"
/// CoverageLabelText.chinese("my_label")                 // "my_label"
/// ```
public enum CoverageLabelText {
    /// The Chinese name of a person or enterprise label, or the code itself if unknown.
    public static func chinese(_ label: String) -> String { names[label] ?? label }

    static let names: [String: String] = [
        "deceased": "已死亡",
        "over_60": "60岁以上",
        "working_age": "劳动年龄",
        "student": "在校学生",
        "dibao": "低保",
        "tekun": "特困",
        "disabled": "残疾",
        "insured_local": "本地参保",
        "insured_elsewhere": "区外参保",
        "paying": "正常缴费",
        "receiving_pension": "待遇领取",
        "interrupted": "中断缴费",
        "suspended": "暂停缴费",
        "uninsured_should_enrol": "应参未参",
        "deceased_but_paid": "死亡仍领待遇",
        "duplicate_enrolment": "重复参保",
        "unresolved_identity": "身份待核实",
        "ent_no_insurance": "纳税未参保企业",
        "ent_partial_insurance": "部分参保企业",
        "ent_unregistered": "未登记纳税企业",
    ]
}
