import Foundation
import Zhaoren
import ZhaorenSupport

extension SyntheticCity {
    /// `grid_survey.csv` (网格员入户摸排): every person the grid workers found at home, grouped by
    /// grid and worker; the noisiest file (see ``ErrorRates``). Every injected error is listed
    /// in `truth/errors.csv`.
    func writeGridSurvey(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("grid_survey")
        // Entries: (grid, worker, random) key, person, copy.
        var entries: [(key: UInt64, person: UInt32)] = []
        entries.reserveCapacity(people.count + people.count / 16)
        for p in 0..<people.count where people.has(p, Population.Flag.surveyed) {
            let grid = UInt64(people.householdGrid[Int(people.household[p])])
            let worker = UInt64(rng.below(2))
            let household = UInt64(people.household[p]) & 0xFFFFF
            entries.append((grid << 42 | worker << 41 | UInt64(rng.below(1 << 20)) << 21 | household, UInt32(p)))
            if people.has(p, Population.Flag.surveyedTwice) {
                entries.append((grid << 42 | (1 - worker) << 41 | UInt64(rng.below(1 << 20)) << 21 | household, UInt32(p)))
            }
        }
        entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.person < $1.person }

        let real = config.shape == .real
        // Real shape: the grid code and the way each address is written come from a stream of
        // their own, so that the friendly shape's files do not change.
        var placeRng = SeededGenerator(seed: config.seed).derived("survey-address")
        let sink = try CSVWriter(url, header: CityFile.gridSurvey.columns(in: config.shape), encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        out.entities.reserveCapacity(entries.count)
        let rates = config.errors
        var scratch: [UInt16] = []
        for entry in entries {
            let p = Int(entry.person)
            let row = UInt32(sink.dataRowCount + 1)
            let grid = Int(entry.key >> 42)
            let worker = Int(entry.key >> 41 & 1)
            let workerNumber = grid * 2 + worker + 1
            func note(_ field: String, _ kind: String) { out.errors.append(InjectedError(row: row, field: field, kind: kind)) }

            if real {
                // 网格编号: the village's 12-digit code and the grid's number; now and then left
                // blank or cut short by a spreadsheet.
                let u = placeRng.unit()
                if u < 0.015 {
                    sink.row.empty()
                    note("area_code", "blank")
                } else if u < 0.02 {
                    sink.row.field(String(geo.gridCode(grid).dropLast()))
                    note("area_code", "truncated")
                } else {
                    sink.row.field(geo.gridCode(grid))
                }
            } else {
                sink.row.field(geo.gridName(grid))
            }
            sink.row.beginField(); sink.row.appendRaw("WG"); sink.row.appendDigits(workerNumber, width: 5)
            // Name.
            sink.row.beginField()
            if people.isDotted(p) {
                sink.row.appendRaw(names.minorityParts[Int(people.given1[p])])
                if rng.chance(rates.surveySeparatorVariant) {
                    let variants = ["・", ".", "•", "．", " ", "", "﹒", "‧"]
                    sink.row.appendRaw(variants[rng.below(variants.count)])
                    note("name", "separator")
                } else {
                    sink.row.appendRaw([0xC2, 0xB7])
                }
                sink.row.appendRaw(names.minorityParts[Int(people.given2[p])])
            } else {
                scratch.removeAll(keepingCapacity: true)
                let surnameChars = names.surnames[Int(people.surname[p])].chars
                scratch.append(contentsOf: surnameChars)
                scratch.append(people.given1[p])
                if people.given2[p] != CharTable.none { scratch.append(people.given2[p]) }
                let givenStart = surnameChars.count
                if rng.chance(rates.surveyHomophone) {
                    let candidates = scratch.indices.filter { !noise.homophones[Int(scratch[$0])].isEmpty }
                    if !candidates.isEmpty {
                        let i = candidates[rng.below(candidates.count)]
                        let options = noise.homophones[Int(scratch[i])]
                        scratch[i] = options[rng.below(options.count)]
                        note("name", "homophone")
                    }
                }
                if scratch.count - givenStart == 2 && rng.chance(rates.surveyDropChar) {
                    scratch.remove(at: givenStart + rng.below(2))
                    note("name", "dropped_char")
                } else if scratch.count - givenStart == 2 && scratch[givenStart] != scratch[givenStart + 1]
                            && rng.chance(rates.surveySwapChars) {
                    scratch.swapAt(givenStart, givenStart + 1)
                    note("name", "swapped_chars")
                }
                if rng.chance(rates.surveyTraditional) {
                    var changed = false
                    for i in scratch.indices where noise.traditional[Int(scratch[i])] != CharTable.none {
                        scratch[i] = noise.traditional[Int(scratch[i])]
                        changed = true
                    }
                    if changed { note("name", "traditional") }
                }
                if rng.chance(rates.surveyStraySpace) {
                    let u = rng.below(4)
                    let space = u == 1 ? names.ideographicSpace : names.asciiSpace
                    if u == 3 { scratch.append(space) } else { scratch.insert(space, at: givenStart) }
                    note("name", "stray_space")
                }
                for c in scratch { sink.row.appendRaw(names.chars.bytes[Int(c)]) }
            }
            // ID number.
            sink.row.beginField()
            var id = people.has(p, Population.Flag.id15) && rng.chance(0.5) ? id15(p) : Array(people.id(p))
            let u = rng.unit()
            var threshold = rates.surveyIDBlank
            if u < threshold {
                id = []
                note("id", "blank")
            } else if u < { threshold += rates.surveyIDTypo; return threshold }() {
                let i = rng.below(id.count - 1)
                id[i] = UInt8(48 + (Int(id[i]) - 48 + 1 + rng.below(9)) % 10)
                note("id", "typo")
            } else if u < { threshold += rates.surveyIDTransposition; return threshold }() {
                let options = (0..<(id.count - 2)).filter { id[$0] != id[$0 + 1] }
                if let i = options.isEmpty ? nil : options[rng.below(options.count)] {
                    id.swapAt(i, i + 1)
                    note("id", "transposition")
                }
            } else if u < { threshold += rates.surveyIDTruncation; return threshold }() {
                id.removeLast(1 + rng.below(3))
                note("id", "truncation")
            } else if u < { threshold += rates.surveyIDExcel; return threshold }() {
                id = [id[0], 46] + Array(id[1..<6]) + Array("E+\(id.count - 1)".utf8)
                note("id", "excel")
            } else if id.last == 88 && rng.chance(rates.surveyIDLowercaseX) {
                id[id.count - 1] = 120
            }
            sink.row.appendRaw(id)
            sexField(p, sink)
            // Birth date.
            sink.row.beginField()
            if rng.chance(rates.surveyBirthBlank) {
                note("birth", "blank")
            } else {
                var d = CivilDate(dayNumber: people.birth[p])
                if d.day <= 12 && d.day != d.month && rng.chance(rates.surveyBirthSwap) {
                    d = CivilDate(year: d.year, month: d.day, day: d.month)!
                    note("birth", "month_day_swapped")
                } else if rng.chance(rates.surveyBirthDigit) {
                    let k = rng.below(3)
                    let step = 1 + rng.below(9)
                    if k == 0 {
                        d = CivilDate(year: d.year - step, month: d.month, day: min(d.day, 28))!
                    } else if k == 1 {
                        d = CivilDate(year: d.year, month: d.month, day: d.day > 10 ? d.day - step : d.day + step)!
                    } else {
                        d = CivilDate(year: d.year, month: d.month <= 6 ? d.month + 1 + rng.below(6) : d.month - 1 - rng.below(6), day: min(d.day, 28))!
                    }
                    note("birth", "wrong_digit")
                }
                let format = rng.chance(rates.surveyMixedDateFormat) ? DateFormat(rawValue: rng.below(4))!
                    : DateFormat(rawValue: workerNumber % 4)!
                appendDate(d, format, sink)
            }
            // Ethnicity, phone, address, type.
            let ethnic = Int(people.ethnicity[p])
            sink.row.field(rng.chance(0.1) ? Self.ethnicShort[ethnic] : Population.ethnicities[ethnic])
            sink.row.beginField()
            let phone = people.phone[p]
            if phone != 0 && !rng.chance(rates.surveyPhoneBlank) {
                var digits = Array(String(phone).utf8)
                if rng.chance(rates.surveyPhoneTypo) {
                    let i = 3 + rng.below(8)
                    if rng.chance(0.25) { digits.remove(at: i) } else { digits[i] = UInt8(48 + (Int(digits[i]) - 48 + 1 + rng.below(9)) % 10) }
                    note("phone", "typo")
                }
                sink.row.appendRaw(digits)
            }
            sink.row.beginField()
            if real { appendAddress(p, AddressStyle.survey(&placeRng), sink) } else { appendLocalAddress(p, sink) }
            sink.row.field(people.has(p, Population.Flag.migrant) ? "流动人口" : "户籍人口")
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }
}
