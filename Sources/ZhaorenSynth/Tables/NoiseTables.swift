import Zhaoren
import ZhaorenICU

/// Per-character tables for the survey's name noise, built once with ICU at setup:
/// homophones (same toneless pinyin, from `Han-Latin`) and traditional forms
/// (`Simplified-Traditional`, per character). Rows then only look these up.
struct NoiseTables: Sendable {
    /// For each character id, the other ids in the pool with the same toneless reading.
    var homophones: [[UInt16]]
    /// For each character id, its traditional form's id, or `CharTable.none` when it has none.
    var traditional: [UInt16]

    /// Builds the tables over every Han character in `chars`, adding traditional forms to it.
    static func build(chars: inout CharTable) throws(ZhaorenError) -> NoiseTables {
        let pinyin: Transliterator
        let toTraditional: Transliterator
        do {
            pinyin = try Transliterator("Han-Latin; Latin-ASCII")
            toTraditional = try Transliterator("Simplified-Traditional")
        } catch {
            throw ZhaorenError(.icu, error.message)
        }
        let poolSize = chars.count
        var keys = [String](repeating: "", count: poolSize)
        var groups: [String: [UInt16]] = [:]
        for id in 0..<poolSize where isHan(chars.strings[id]) {
            let key = String(pinyin.apply(chars.strings[id]).lowercased().filter { $0.isLetter })
            guard !key.isEmpty else { continue }
            keys[id] = key
            groups[key, default: []].append(UInt16(id))
        }
        var homophones = [[UInt16]](repeating: [], count: poolSize)
        for id in 0..<poolSize where !keys[id].isEmpty {
            homophones[id] = (groups[keys[id]] ?? []).filter { $0 != UInt16(id) }
        }
        var traditional = [UInt16](repeating: CharTable.none, count: poolSize)
        for id in 0..<poolSize where isHan(chars.strings[id]) {
            let t = toTraditional.apply(chars.strings[id])
            if t != chars.strings[id] && t.unicodeScalars.count == 1 {
                traditional[id] = chars.id(t)
            }
        }
        let added = chars.count - poolSize
        homophones.append(contentsOf: [[UInt16]](repeating: [], count: added))
        traditional.append(contentsOf: [UInt16](repeating: CharTable.none, count: added))
        return NoiseTables(homophones: homophones, traditional: traditional)
    }

    private static func isHan(_ s: String) -> Bool {
        guard let v = s.unicodeScalars.first?.value, s.unicodeScalars.count == 1 else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
    }
}
