import Benchmark
import Zhaoren
import ZhaorenSynth
import ZhaorenSupport

/// A synthetic city's name column: ~200,000 distinct generated names (no real people), drawn
/// 3,000,000 times with a heavy head (王伟 and 张伟 repeat thousands of times).
struct SyntheticNames {
    /// Top surnames with percentage weights (domain-china.md §6, faker zh_CN), plus a few
    /// polyphonic and compound surnames; the remaining weight is spread over the tail list.
    static let surnames: [(String, Double)] = [
        ("王", 7.17), ("李", 7.00), ("张", 6.74), ("刘", 5.10), ("陈", 4.61), ("杨", 3.22), ("黄", 2.45),
        ("吴", 2.00), ("赵", 2.00), ("周", 1.90), ("徐", 1.45), ("孙", 1.38), ("马", 1.29), ("朱", 1.28),
        ("胡", 1.16), ("林", 1.13), ("郭", 1.13), ("何", 1.06), ("高", 1.00), ("罗", 0.95), ("郑", 0.93),
        ("梁", 0.85), ("谢", 0.76), ("宋", 0.70), ("唐", 0.69), ("许", 0.66), ("邓", 0.62), ("冯", 0.62),
        ("韩", 0.61), ("曹", 0.60), ("曾", 0.58), ("彭", 0.58), ("萧", 0.56), ("肖", 0.50), ("于", 0.40),
        ("单", 0.08), ("朴", 0.05), ("缪", 0.04), ("欧阳", 0.07), ("诸葛", 0.01), ("闫", 0.20), ("阎", 0.10),
    ]
    static let tail = Array("蔡潘田董袁蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("伟强磊洋勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国建华志红芳娜敏静秀英丽艳娟霞兰玲桂萍燕梅琳雪婷倩颖欣怡梓涵子墨宇轩浩然一诺依诺语桐雨桐梦瑶奕辰亦宸诗琪嘉佳思文博晨晓月玉春海峰")

    let distinct: [String]
    let column: [String]

    init(distinctCount: Int = 200_000, rows: Int = 3_000_000, seed: UInt64 = 20_261_123) {
        var rng = SeededGenerator(seed: seed)
        let headWeight = Self.surnames.reduce(0) { $0 + $1.1 }
        let tailWeight = 96.0 - headWeight
        func surname() -> String {
            var x = Double.random(in: 0..<96, using: &rng)
            for (s, w) in Self.surnames { if x < w { return s }; x -= w }
            _ = tailWeight
            return String(Self.tail[Int.random(in: 0..<Self.tail.count, using: &rng)])
        }
        var seen = Set<String>()
        var list: [String] = []
        list.reserveCapacity(distinctCount)
        while list.count < distinctCount {
            let kind = Int.random(in: 0..<1_000, using: &rng)
            var name: String
            if kind < 8 {
                name = "买买提·" + String(Self.given[Int.random(in: 0..<Self.given.count, using: &rng)]) + "尔逊"
            } else if kind < 12 {
                name = ["John Smith", "MARY  ANN", "José Núñez", "Li Wei"][Int.random(in: 0..<4, using: &rng)] + String(list.count % 97)
            } else {
                name = surname()
                let len = Int.random(in: 0..<10, using: &rng) < 3 ? 1 : 2
                for _ in 0..<len { name.append(Self.given[Int.random(in: 0..<Self.given.count, using: &rng)]) }
                if kind < 40 { name = name.replacingOccurrences(of: "张", with: "張").replacingOccurrences(of: "陈", with: "陳") }
                if kind >= 40 && kind < 60 { name = " " + name + "\u{3000}" }
                if kind >= 60 && kind < 62 { name += "\u{20000}" }
            }
            if seen.insert(name).inserted { list.append(name) }
        }
        distinct = list
        // Heavy head: index = n·u³ puts most draws on the first (most frequent) names.
        var col: [String] = []
        col.reserveCapacity(rows)
        for _ in 0..<rows {
            let u = Double.random(in: 0..<1, using: &rng)
            col.append(list[min(distinctCount - 1, Int(Double(distinctCount) * u * u * u))])
        }
        column = col
    }
}

func nameBenchmarks() {
    nonisolated(unsafe) var normalizer: NameNormalizer!
    nonisolated(unsafe) var city: SyntheticNames!
    func setUp() {
        if normalizer == nil { normalizer = try! NameNormalizer() }
        if city == nil { city = SyntheticNames() }
    }

    Benchmark("Name.init", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let n = try! NameNormalizer()
            precondition(n.normalize("单田芳").pinyin == "shantianfang")
            blackHole(n)
        }
    }

    Benchmark("Name.pinyinTableInit", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let t = try! PinyinTable()
            precondition(t.syllable(t.surnameReading(0x5355)) == "shan")
            blackHole(t)
        }
    }

    Benchmark("Name.normalizeDistinct200kSerial", configuration: .init(maxIterations: 10, setup: { setUp() })) { benchmark in
        let values = city.distinct
        precondition(values.count == 200_000)
        var keys: UInt64 = 0
        benchmark.startMeasurement()
        for v in values { keys &+= normalizer.normalize(v).pinyinKey }
        benchmark.stopMeasurement()
        precondition(keys != 0)
        blackHole(keys)
    }

    Benchmark("Name.normalizeDistinct200kParallel", configuration: .init(maxIterations: 10, setup: { setUp() })) { benchmark in
        let values = city.distinct
        benchmark.startMeasurement()
        let out = normalizer.normalize(values)
        benchmark.stopMeasurement()
        precondition(out.count == 200_000 && out[0].original == values[0])
        precondition(out.contains { $0.flags.contains(.separated) } && out.contains { $0.script == .latin })
        blackHole(out)
    }

    Benchmark("Name.city3M", configuration: .init(maxIterations: 5, setup: { setUp() })) { benchmark in
        let column = city.column
        precondition(column.count == 3_000_000)
        benchmark.startMeasurement()
        // Intern (distinct strings → ids), normalize each distinct value once in parallel,
        // then one key per row by id.
        let names = NameColumn(column, normalizer: normalizer)
        var fuzzyKeys = [UInt64](repeating: 0, count: column.count)
        for i in 0..<names.ids.count { fuzzyKeys[i] = names.names[Int(names.ids[i])].fuzzyKey }
        benchmark.stopMeasurement()
        precondition(names.names.count > 100_000 && names.names.count <= 200_000)
        precondition(names.names[Int(names.ids[0])].original == column[0])
        precondition(names.names[Int(names.ids[2_999_999])].original == column[2_999_999])
        precondition(fuzzyKeys[0] == names.names[Int(names.ids[0])].fuzzyKey)
        blackHole(fuzzyKeys)
    }

    let enterprises = EnterpriseNameNormalizer()
    Benchmark("Name.enterprise", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var n = 0
        for _ in benchmark.scaledIterations {
            let e = enterprises.normalize("宁夏固原市某某商贸有限公司")
            if e.key == "某某商贸" { n += 1 }
        }
        precondition(n > 0)
        blackHole(n)
    }
}
