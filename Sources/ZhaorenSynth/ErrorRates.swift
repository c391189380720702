/// How often each kind of manual-entry error is injected (probabilities per row).
///
/// The defaults are judged realistic for a door-to-door survey and for department exports;
/// set a field to 0 to switch that error off, or use ``ErrorRates/none`` for clean files.
///
/// ```swift
/// var rates = ErrorRates()
/// rates.surveyHomophone = 0.10     // a noisier survey
/// ```
public struct ErrorRates: Sendable, Hashable {
    // Grid survey (网格员入户摸排): identity numbers.
    /// The ID cell left blank.
    public var surveyIDBlank = 0.02
    /// One digit of the ID mistyped.
    public var surveyIDTypo = 0.025
    /// Two adjacent different digits of the ID swapped.
    public var surveyIDTransposition = 0.01
    /// The ID cut short by 1–3 characters.
    public var surveyIDTruncation = 0.008
    /// The ID mangled by a spreadsheet into `6.40402E+17`.
    public var surveyIDExcel = 0.002
    /// A lowercase `x` check character (valid once uppercased).
    public var surveyIDLowercaseX = 0.3
    // Grid survey: names.
    /// One character replaced by a homophone (张伟 → 章伟).
    public var surveyHomophone = 0.03
    /// One given-name character dropped.
    public var surveyDropChar = 0.008
    /// The two given-name characters swapped.
    public var surveySwapChars = 0.005
    /// The name written in traditional characters.
    public var surveyTraditional = 0.015
    /// A stray ASCII space or U+3000 inside or around the name.
    public var surveyStraySpace = 0.02
    /// A dotted minority name written with another separator (・ . • space or none).
    public var surveySeparatorVariant = 0.5
    // Grid survey: birth dates, phones, duplicates, coverage.
    /// Month and day swapped (when both are ≤ 12 and differ).
    public var surveyBirthSwap = 0.012
    /// One digit of the birth date wrong (still a real date).
    public var surveyBirthDigit = 0.01
    /// The birth date left blank.
    public var surveyBirthBlank = 0.01
    /// A row written in another date format than the worker's usual one.
    public var surveyMixedDateFormat = 0.1
    /// The phone left blank.
    public var surveyPhoneBlank = 0.08
    /// One phone digit mistyped.
    public var surveyPhoneTypo = 0.02
    /// The same person entered again by a second worker.
    public var surveyDuplicate = 0.03
    /// Residents the survey missed.
    public var surveyMissing = 0.07
    // Other files.
    /// Insurance rows whose ID has one mistyped digit.
    public var insuranceIDTypo = 0.003
    /// Assistance-list rows (低保/特困/残疾) whose ID lost its last three digits to a spreadsheet (`…000`).
    public var listIDExcelTail = 0.003
    /// Tax rows whose taxpayer name differs from the registry's (suffix, prefix, brackets).
    public var taxNameVariant = 0.3

    /// The realistic defaults.
    public init() {}

    /// No injected errors at all (coverage gaps and duplicates included).
    public static var none: ErrorRates {
        var r = ErrorRates()
        r.surveyIDBlank = 0; r.surveyIDTypo = 0; r.surveyIDTransposition = 0; r.surveyIDTruncation = 0
        r.surveyIDExcel = 0; r.surveyIDLowercaseX = 0; r.surveyHomophone = 0; r.surveyDropChar = 0
        r.surveySwapChars = 0; r.surveyTraditional = 0; r.surveyStraySpace = 0; r.surveySeparatorVariant = 0
        r.surveyBirthSwap = 0; r.surveyBirthDigit = 0; r.surveyBirthBlank = 0; r.surveyMixedDateFormat = 0
        r.surveyPhoneBlank = 0; r.surveyPhoneTypo = 0; r.surveyDuplicate = 0; r.surveyMissing = 0
        r.insuranceIDTypo = 0; r.listIDExcelTail = 0; r.taxNameVariant = 0
        return r
    }
}
