import ZhaorenSupport

/// Builds synthetic enterprise names (宁夏固原 + 字号 + 行业 + 有限公司) and the variant the tax
/// office holds (有限责任公司 vs 有限公司, region prefix dropped, half-width brackets).
struct EnterpriseWords: Sendable {
    var brands: [String] = []
    var brand1: [String] = []
    var brand2: [String] = []
    var trades: [String] = []

    init() {
        for row in TSV.rows(EmbeddedTables.enterpriseWords) {
            switch row[0] {
            case "brand": brands.append(String(row[1]))
            case "brand1": brand1.append(String(row[1]))
            case "brand2": brand2.append(String(row[1]))
            case "trade": trades.append(String(row[1]))
            default: break
            }
        }
    }

    /// A 字号 + 行业 core (`华宇商贸`) not in `usedCores` (after 40 tries, whatever came last).
    func core(usedCores: inout Set<String>, _ rng: inout SeededGenerator) -> String {
        var core = ""
        for attempt in 0..<40 {
            let brand = rng.chance(0.4) ? brands[rng.below(brands.count)]
                : brand1[rng.below(brand1.count)] + brand2[rng.below(brand2.count)]
            core = brand + trades[rng.below(trades.count)]
            if !usedCores.contains(core) || attempt == 39 { break }
        }
        usedCores.insert(core)
        return core
    }

    /// A registry name unique in `used`, and the tax list's spelling of it.
    func name(county: String, used: inout Set<String>, usedCores: inout Set<String>, variantRate: Double,
              _ rng: inout SeededGenerator) -> (String, String) {
        let core = self.core(usedCores: &usedCores, &rng)
        let longForm = rng.chance(0.2)
        let form = longForm ? "有限责任公司" : "有限公司"
        let u = rng.unit()
        let prefix: String
        var bracket = false
        if u < 0.35 { prefix = "宁夏固原" } else if u < 0.55 { prefix = "固原" } else if u < 0.7 { prefix = "固原市" }
        else if u < 0.85 { prefix = "宁夏" } else if u < 0.95 { prefix = county } else { prefix = ""; bracket = true }
        var name = bracket ? core + "（宁夏）" + form : prefix + core + form
        var serial = 2
        while used.contains(name) {
            name = (bracket ? core + "（宁夏）" : prefix + core) + "第" + String(serial) + "分公司"
            serial += 1
        }
        used.insert(name)
        var tax = name
        if rng.chance(variantRate) {
            switch rng.below(3) {
            case 0:
                tax = longForm ? name.replacingAll("有限责任公司", with: "有限公司") : name.replacingAll("有限公司", with: "有限责任公司")
            case 1:
                if bracket { tax = name.replacingAll("（", with: "(").replacingAll("）", with: ")") }
                else if !prefix.isEmpty { tax = String(name.dropFirst(prefix.count)) }
                else { tax = name.replacingAll("有限公司", with: "有限责任公司") }
            default:
                if bracket { tax = name.replacingAll("（宁夏）", with: "(宁夏)") }
                else if prefix == "宁夏固原" { tax = "固原市" + name.dropFirst(prefix.count) }
                else { tax = "宁夏" + name }
            }
        }
        return (name, tax)
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
