import Dispatch
import ZhaorenICU
import ZhaorenSupport

/// Folds person names for comparison and computes their pinyin keys.
///
/// Build it ONCE per process (about 0.1 s: ICU `Traditional-Simplified` runs once over every CJK
/// character and the Latin fold over U+0080–U+1FFF to fill flat tables; the pinyin readings are
/// embedded, see ``PinyinTable``), then call `normalize(_:)` once per
/// distinct value: the per-value path does table lookups only and never calls ICU. Immutable and
/// `Sendable`: share one instance between worker threads.
///
/// ```swift
/// let names = try NameNormalizer()
/// names.normalize("歐陽娜娜").surname          // "欧阳"
/// names.normalize("王峯").folded               // "王峰"
/// names.normalize("买买提・吐尔逊").folded      // "买买提·吐尔逊"
/// names.normalize("JOHN  SMITH").tokens       // ["john", "smith"]
/// ```
public final class NameNormalizer: Sendable {
    /// The pinyin table the keys are built from.
    package let pinyin: PinyinTable
    /// Scalar − `PinyinTable.firstScalar` → folded scalar (ICU Traditional-Simplified per
    /// character, minus the name exceptions, plus the variant folds).
    @usableFromInline let simplified: [UInt32]
    /// Scalar − 0x80 → ASCII fold range in `latinBytes` (ICU `Any-Latin; Latin-ASCII`), for
    /// scalars below `latinFoldEnd`; `latinFolds[i]` false means "not a letter".
    let latinStart: [UInt32]
    let latinBytes: [UInt8]
    let latinFolds: [Bool]
    /// Compound surnames as first << 32 | second.
    let compoundSurnames: Set<UInt64>
    /// Single-character surnames (faker zh_CN list, 399 entries).
    let singleSurnames: Set<UInt32>

    static let latinFoldStart: UInt32 = 0x80
    static let latinFoldEnd: UInt32 = 0x2000

    /// Builds the tables: the pinyin table from the embedded readings (ICU `Han-Latin`'s, see
    /// ``PinyinTable``), and one ICU pass each for `Traditional-Simplified` and
    /// `Any-Latin; Latin-ASCII`, side by side.
    /// - Throws: `ICUError` if a transliterator cannot be opened.
    /// - Complexity: about 0.1 s; once per process.
    public init() throws(ICUError) {
        // The three parts run side by side; each ICU task opens its own transliterator and
        // writes only its own element.
        enum Part: Sendable {
            case pinyin(PinyinTable)
            case simplified([UInt32])
            case latin(([UInt32], [UInt8], [Bool]))
        }
        let parts = Parallel.map(3) { k -> Result<Part, ICUError> in
            switch k {
            case 0: return .success(.pinyin(PinyinTable(icuReadings: PinyinTable.embeddedReadings())))
            case 1: return Result { () throws(ICUError) in .simplified(try Self.simplificationTable()) }
            default: return Result { () throws(ICUError) in .latin(try Self.latinFoldTable()) }
            }
        }
        var pinyin: PinyinTable?, simplified: [UInt32]?, latin: ([UInt32], [UInt8], [Bool])?
        for part in parts {
            switch try part.get() {
            case .pinyin(let p): pinyin = p
            case .simplified(let t): simplified = t
            case .latin(let l): latin = l
            }
        }
        self.pinyin = pinyin!
        self.simplified = simplified!
        (latinStart, latinBytes, latinFolds) = latin!
        compoundSurnames = Set(NameTables.compoundSurnames().map { UInt64($0.first) << 32 | UInt64($0.second) })
        singleSurnames = Set(NameTables.surnames().compactMap { s in
            let u = Array(s.surname.unicodeScalars)
            return u.count == 1 ? u[0].value : nil
        })
    }

    /// The simplified (name-safe) form of one scalar; scalars outside U+3400–U+9FFF are unchanged.
    /// - Complexity: O(1).
    public func simplify(_ scalar: UInt32) -> UInt32 {
        PinyinTable.covers(scalar) ? simplified[Int(scalar - PinyinTable.firstScalar)] : scalar
    }

    /// Whether `surname` (one character) is in the single-surname list.
    public func isKnownSurname(_ scalar: UInt32) -> Bool { singleSurnames.contains(scalar) }

    /// Whether the two scalars form a known compound surname (欧阳, 尉迟 …).
    public func isCompoundSurname(_ first: UInt32, _ second: UInt32) -> Bool {
        compoundSurnames.contains(UInt64(first) << 32 | UInt64(second))
    }

    /// ICU `Traditional-Simplified` over every covered character in one call, then the name
    /// exceptions (kept as they are) and the variant folds.
    static func simplificationTable() throws(ICUError) -> [UInt32] {
        let first = PinyinTable.firstScalar
        let count = Int(PinyinTable.lastScalar - first) + 1
        let t = try Transliterator("Traditional-Simplified")
        var text = String.UnicodeScalarView()
        for i in 0..<count {
            text.append(Unicode.Scalar(first + UInt32(i))!)
            text.append("\n")
        }
        let lines = t.apply(String(text)).split(separator: "\n", omittingEmptySubsequences: false)
        var table = (0..<count).map { first + UInt32($0) }
        if lines.count >= count {
            for i in 0..<count {
                let s = lines[i].unicodeScalars
                if s.count == 1, let v = s.first?.value, v != table[i] { table[i] = v }
            }
        }
        for c in NameTables.simplifyExceptions() where PinyinTable.covers(c) {
            table[Int(c - first)] = c
        }
        let variants = NameTables.variantFolds()
        for (from, to) in variants where PinyinTable.covers(from) {
            table[Int(from - first)] = to
        }
        // A traditional character whose ICU simplification is itself a listed variant.
        for i in 0..<count { if let to = variants[table[i]] { table[i] = to } }
        return table
    }

    /// ICU `Any-Latin; Latin-ASCII` over U+0080–U+1FFF in one call: accented Latin, Greek and
    /// Cyrillic letters → lowercase ASCII.
    static func latinFoldTable() throws(ICUError) -> ([UInt32], [UInt8], [Bool]) {
        let t = try Transliterator("Any-Latin; Latin-ASCII")
        let count = Int(latinFoldEnd - latinFoldStart)
        var text = String.UnicodeScalarView()
        var valid = [Bool](repeating: false, count: count)
        for i in 0..<count {
            if let s = Unicode.Scalar(latinFoldStart + UInt32(i)), s.properties.isAlphabetic || s.properties.generalCategory == .nonspacingMark {
                valid[i] = true
                text.append(s)
            }
            text.append("\n")
        }
        let lines = t.apply(String(text)).split(separator: "\n", omittingEmptySubsequences: false)
        var start = [UInt32](repeating: 0, count: count + 1)
        var bytes: [UInt8] = []
        var folds = [Bool](repeating: false, count: count)
        for i in 0..<count {
            start[i] = UInt32(bytes.count)
            guard valid[i], i < lines.count else { continue }
            var ok = true
            var out: [UInt8] = []
            for b in lines[i].utf8 {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32)
                case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "\""): continue
                default: ok = false
                }
            }
            if ok {
                folds[i] = true
                bytes.append(contentsOf: out)
            }
        }
        start[count] = UInt32(bytes.count)
        return (start, bytes, folds)
    }
}
