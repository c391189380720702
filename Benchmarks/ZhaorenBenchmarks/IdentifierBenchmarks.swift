import Benchmark
import Zhaoren
import ZhaorenSynth
import ZhaorenSupport

/// Identifier and date parsing throughput. Each iteration processes `identifierBatch` values;
/// values per second = identifierBatch / the wall-clock median.
let identifierBatch = 100_000

func identifierBenchmarks() {
    var rng = SeededGenerator(seed: 2_026)
    let today = CivilDate(year: 2026, month: 11, day: 23)!
    let regions = ["110105", "440524", "640402", "640422", "362324", "330102"]
    let ids: [String] = (0..<identifierBatch).map { _ in
        let day = CivilDate(dayNumber: Int32.random(in: -18_000...19_000, using: &rng))
        let seq = String(Int.random(in: 100...999, using: &rng))
        let body = regions.randomElement(using: &rng)! + day.compact + seq
        return body + String(UnicodeScalar(CheckDigits.residentID(Array(body.utf8))!))
    }
    let flat: [UInt8] = ids.flatMap { Array($0.utf8) }
    let alphabet = CheckDigits.creditCodeAlphabet
    let codes: [String] = (0..<identifierBatch).map { _ in
        var org = (0..<8).map { _ in alphabet[Int.random(in: 0..<31, using: &rng)] }
        org.append(CheckDigits.organizationCode(org)!)
        var body = Array("91640402".utf8) + org
        body.append(CheckDigits.creditCode(body)!)
        return String(decoding: body, as: UTF8.self)
    }
    let phoneForms = ["13800138000", "+86 139-0951-2345", "0954-2012345", "010-65529988转8001", "15109541234"]
    let phones: [String] = (0..<identifierBatch).map { i in phoneForms[i % phoneForms.count] }
    let dateForms = ["1985-03-07", "19850307", "1985年3月7日", "1985/3/7", "31113", "198503", "1985-03-07 00:00:00"]
    let dates: [String] = (0..<identifierBatch).map { i in dateForms[i % dateForms.count] }

    Benchmark("ResidentID.parse") { benchmark in
        for _ in benchmark.scaledIterations {
            var valid = 0
            for id in ids where ResidentID.parse(id, asOf: today).isValid { valid += 1 }
            precondition(valid == identifierBatch, "every generated ID must validate")
            blackHole(valid)
        }
    }

    Benchmark("ResidentID.isValidASCII") { benchmark in
        let todayKey = 20_261_123
        for _ in benchmark.scaledIterations {
            var valid = 0
            flat.withUnsafeBufferPointer { all in
                for i in 0..<identifierBatch {
                    let slice = UnsafeBufferPointer(rebasing: all[(i * 18)..<(i * 18 + 18)])
                    if ResidentID.isValid(ascii: slice, todayKey: todayKey) { valid += 1 }
                }
            }
            precondition(valid == identifierBatch, "every generated ID must validate")
            blackHole(valid)
        }
    }

    Benchmark("CreditCode.parse") { benchmark in
        for _ in benchmark.scaledIterations {
            var valid = 0
            for code in codes where CreditCode.parse(code).isValid { valid += 1 }
            precondition(valid == identifierBatch, "every generated credit code must validate")
            blackHole(valid)
        }
    }

    Benchmark("PhoneNumber.parse") { benchmark in
        for _ in benchmark.scaledIterations {
            var valid = 0
            for phone in phones where PhoneNumber.parse(phone).isValid { valid += 1 }
            precondition(valid == identifierBatch, "every sample phone must validate")
            blackHole(valid)
        }
    }

    Benchmark("DateParser.parse") { benchmark in
        for _ in benchmark.scaledIterations {
            var parsed = 0
            for text in dates where DateParser.parse(text).isSuccess { parsed += 1 }
            precondition(parsed == identifierBatch, "every sample date must parse")
            blackHole(parsed)
        }
    }
}
