import Foundation
import Testing
import ZhaorenTestSupport
@testable import Zhaoren
import ZhaorenEvaluation
import ZhaorenSupport

/// A small generated population with a clean register and a messy survey (duplicates, ID
/// typos and blanks, homophones, traditional script, swapped dates), with the truth.
struct MiniCity {
    struct Person { var name: String; var id: String; var birth: CivilDate; var sex: Sex; var phone: String }
    var people: [Person] = []
    var register: [(row: [String], person: Int)] = []
    var survey: [(row: [String], person: Int)] = []

    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"]
    static let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明",
                        "超", "秀英", "霞", "平", "刚", "桂英", "浩然", "梓涵", "一诺", "欣怡", "宇轩"]
    static let homophones: [Character: Character] = ["张": "章", "伟": "玮", "丽": "莉", "静": "晶", "杰": "洁", "明": "铭"]
    static let traditional: [Character: Character] = ["张": "張", "伟": "偉", "陈": "陳", "刘": "劉", "杰": "傑", "丽": "麗", "军": "軍"]

    static func checkDigit(_ body: String) -> Character {
        let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let s = zip(body, w).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return Array("10X98765432")[s % 11]
    }

    init(persons: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func chance(_ p: Double) -> Bool { Double(rng.next() % 10_000) < p * 10_000 }
        for k in 0..<persons {
            let sex: Sex = chance(0.5) ? .male : .female
            let birth = CivilDate(dayNumber: Int32(-7000 + Int(rng.next() % 20_000)))
            var seq = 100 + Int(rng.next() % 800)
            if (seq % 2 == 1) != (sex == .male) { seq += 1 }
            let body = "640402" + birth.compact + String(seq)
            let id = body + String(Self.checkDigit(body))
            let phone = "13" + String(100_000_000 + k * 7 + Int(rng.next() % 7))
            people.append(Person(name: pick(Self.surnames) + pick(Self.given), id: id, birth: birth, sex: sex, phone: phone))
        }
        for (p, person) in people.enumerated() {
            register.append(([person.name, person.id, person.sex == .male ? "男" : "女", person.birth.compact], p))
            guard chance(0.85) else { continue }
            let copies = chance(0.15) ? 2 : 1
            for _ in 0..<copies { survey.append((messy(person, &rng), p)) }
        }
    }

    func messy(_ p: Person, _ rng: inout SeededGenerator) -> [String] {
        func chance(_ x: Double) -> Bool { Double(rng.next() % 10_000) < x * 10_000 }
        var name = p.name
        if chance(0.1) { name = String(name.map { Self.homophones[$0] ?? $0 }) }
        if chance(0.05) { name = String(name.map { Self.traditional[$0] ?? $0 }) }
        if chance(0.03) { name = " " + name + "　" }
        var id = p.id
        if chance(0.1) {
            var c = Array(id)
            let k = 6 + Int(rng.next() % 11)
            c[k] = Character(String((Int(String(c[k]))! + 1 + Int(rng.next() % 8)) % 10))
            id = String(c)
        } else if chance(0.05) {
            var c = Array(id)
            let k = 14 + Int(rng.next() % 2)
            c.swapAt(k, k + 1)
            id = String(c)
        }
        if chance(0.12) { id = "" }
        var birth = "\(p.birth.year)/\(p.birth.month)/\(p.birth.day)"
        if chance(0.05) && p.birth.day <= 12 { birth = "\(p.birth.year)-\(p.birth.day)-\(p.birth.month)" }
        if chance(0.05) { birth = "\(p.birth.year)年\(p.birth.month)月\(p.birth.day)日" }
        if chance(0.08) { birth = "" }
        let phone = chance(0.4) ? "" : (chance(0.05) ? String(p.phone.dropLast()) + "9" : p.phone)
        return [name, id, p.sex == .male ? "男" : "女", birth, phone]
    }

    static func write(_ rows: [(row: [String], person: Int)], header: [String], to url: URL) throws {
        let text = ([header] + rows.map(\.row)).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func truth(register registerName: String?, survey surveyName: String) -> GroundTruth {
        var t = GroundTruth()
        if let registerName { for (k, r) in register.enumerated() { t.add(source: registerName, row: k + 1, entity: "P\(r.person)") } }
        for (k, r) in survey.enumerated() { t.add(source: surveyName, row: k + 1, entity: "P\(r.person)") }
        return t
    }
}

@Suite struct PipelineTests {
    static let folder: URL = {
        let url = Scratch.path("pipeline")   // shared by the suite; goes with Scratch.root at exit
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func clusterMap(_ r: LinkResult, _ t: GroundTruth) -> [UInt64: String] {
        var out: [UInt64: String] = [:]
        for i in 0..<r.table.count {
            out[t.key(source: r.table.sources[Int(r.table.source[i])], row: Int(r.table.row[i]))!] = r.clusterID(of: i)
        }
        return out
    }

    @Test func dedupeFindsSurveyDuplicates() throws {
        let city = MiniCity(persons: 3000, seed: 42)
        let url = Self.folder.appendingPathComponent("survey.csv")
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: url)
        let source = try RecordSource(path: url.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
        let result = try LinkPipeline(settings: LinkSettings(randomPairs: 200_000)).dedupe(source)
        #expect(result.table.count == city.survey.count)
        let truth = city.truth(register: nil, survey: "survey")
        let m = Evaluation.clusters(clusterMap(result, truth), truth: truth)
        #expect(m.pairwise.truePositives + m.pairwise.falseNegatives > 300)
        #expect(m.pairwise.precision >= 0.97, "precision \(m.pairwise.precision)")
        #expect(m.pairwise.recall >= 0.97, "recall \(m.pairwise.recall)")
        // Every pair is explained: weights of the comparisons plus the prior make the match weight.
        let (_, _, w, p) = result.pair(0)
        let parts = result.explanation(0).map(\.weight)
        #expect(abs(parts.reduce(result.model.priorWeight, +) - w) < 1e-9)
        #expect(p >= 0.9)
    }

    @Test func linkSurveyToRegisterOneToOne() throws {
        let city = MiniCity(persons: 3000, seed: 7)
        let left = Self.folder.appendingPathComponent("register.csv")
        let right = Self.folder.appendingPathComponent("survey2.csv")
        try MiniCity.write(city.register.map { ($0.row, $0.person) }, header: ["姓名", "公民身份号码", "性别", "出生日期"], to: left)
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: right)
        let a = try RecordSource(path: left.path, columns: "name=姓名,id=公民身份号码,sex=性别,birth=出生日期")
        let b = try RecordSource(path: right.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
        let result = try LinkPipeline(settings: LinkSettings(randomPairs: 200_000)).link(a, b)
        for k in result.accepted { #expect(result.table.source[result.candidates.first(k)] != result.table.source[result.candidates.second(k)]) }
        let truth = city.truth(register: "register", survey: "survey2")
        let pairs = result.accepted.indices.map { k -> (UInt64, UInt64) in
            let (x, y, _, _) = result.pair(k)
            return (truth.key(source: x.source, row: x.row)!, truth.key(source: y.source, row: y.row)!)
        }
        let m = Evaluation.pairs(pairs, truth: truth, sources: [0, 1], crossSourceOnly: true)
        #expect(m.precision >= 0.98, "precision \(m.precision)")
        #expect(m.recall >= 0.97, "recall \(m.recall)")

        var oneToOne = LinkSettings(randomPairs: 200_000)
        oneToOne.oneToOne = true
        let strict = try LinkPipeline(settings: oneToOne).link(a, b)
        var used = Set<SourceRow>()
        for k in strict.accepted.indices {
            let (x, y, _, _) = strict.pair(k)
            #expect(used.insert(x).inserted && used.insert(y).inserted)
        }
    }

    @Test func trainedModelScoresWithoutRetrainingAndRunsAreDeterministic() throws {
        let city = MiniCity(persons: 1500, seed: 3)
        let url = Self.folder.appendingPathComponent("survey3.csv")
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: url)
        let source = try RecordSource(path: url.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
        Parallel.threadOverride = 1
        let first = try LinkPipeline(settings: LinkSettings(randomPairs: 100_000)).dedupe(source)
        Parallel.threadOverride = 2
        let second = try LinkPipeline(settings: LinkSettings(randomPairs: 100_000)).dedupe(source)
        Parallel.threadOverride = nil
        #expect(first.accepted == second.accepted)
        #expect(first.model == second.model)
        #expect((0..<first.table.count).map(first.clusterID) == (0..<second.table.count).map(second.clusterID))
        // Train once, score again from JSON.
        let json = try JSONEncoder().encode(LinkSettings(model: first.model))
        let settings = try JSONDecoder().decode(LinkSettings.self, from: json)
        let again = try LinkPipeline(settings: settings).dedupe(source)
        #expect(!again.trained)
        #expect(again.accepted == first.accepted)
        // A model with another number of levels (an older version's birth_date) is refused.
        var old = first.model
        let b = old.comparisons.firstIndex { $0.kind == .birthDate }!
        old.m[b].removeLast()
        old.u[b].removeLast()
        #expect(throws: ZhaorenError.self) { try old.checkLevels() }
        do {
            _ = try LinkPipeline(settings: LinkSettings(model: old)).dedupe(source)
            Issue.record("an old model was accepted")
        } catch {
            #expect(error.message.contains("\"birth\" (birth_date) has 7 levels in the model, this version has 8"), "\(error.message)")
        }
    }

    @Test func outputRowsAreExactlyWhatTheBuilderMakes() throws {
        // The writers format rows through a cursor into reserved memory: every byte of
        // pairs.csv, candidates.csv and clusters.csv must equal what the plain builder makes,
        // for a source name that needs quoting and one a spreadsheet would run as a formula.
        let city = MiniCity(persons: 300, seed: 12)
        let url = Self.folder.appendingPathComponent("exact.csv")
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: url)
        for name in [#"a,"b""#, "=survey"] {
            var source = try RecordSource(path: url.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
            source.name = name
            let result = try LinkPipeline(settings: LinkSettings(randomPairs: 20_000)).dedupe(source)
            #expect(result.accepted.count > 20 && result.candidates.count > result.accepted.count)
            let out = Self.folder.appendingPathComponent("exact-out")
            try LinkOutputs.write(result, to: out, files: .all)
            let cell = Array(CSVRow.quoted(name).utf8)
            var pairs = CSVRow(), candidates = CSVRow(), clusters = CSVRow()
            func fields(_ row: inout CSVRow, _ a: Int, _ b: Int, _ w: Double) {
                row.plain(bytes: cell); row.int(Int(result.table.row[a]))
                row.plain(bytes: cell); row.int(Int(result.table.row[b]))
                row.fixed(result.model.probability(weight: w), decimals: 6); row.fixed(w, decimals: 3)
            }
            for (k, c) in result.accepted.enumerated() {
                let a = result.candidates.first(c), b = result.candidates.second(c)
                fields(&pairs, a, b, result.acceptedWeight[k])
                for s in result.model.comparisons.indices {
                    pairs.fixed(result.scorer.contribution(s, pattern: result.patterns[c], details: result.acceptedDetails[k]), decimals: 3)
                }
                pairs.endRecord()
            }
            let accepted = result.acceptedMask
            for c in 0..<result.candidates.count {
                let a = result.candidates.first(c), b = result.candidates.second(c)
                fields(&candidates, a, b, result.scorer.weight(pattern: result.patterns[c], a, b))
                candidates.int(accepted[c] ? 1 : 0)
                candidates.endRecord()
            }
            for i in 0..<result.table.count {
                let root = Int(result.clusterRoot[i])
                clusters.plain(bytes: cell); clusters.int(Int(result.table.row[i]))
                clusters.field(name + ":" + String(result.table.row[root]))
                clusters.endRecord()
            }
            func body(_ file: String) throws -> [UInt8] {
                let bytes = try [UInt8](Data(contentsOf: out.appendingPathComponent(file)))
                return Array(bytes[(bytes.firstIndex(of: 0x0A)! + 1)...])   // without the header
            }
            #expect(try body("pairs.csv") == pairs.bytes, "\(name)")
            #expect(try body("candidates.csv") == candidates.bytes, "\(name)")
            #expect(try body("clusters.csv") == clusters.bytes, "\(name)")
        }
    }

    @Test func outputsAreWrittenAndReplaced() throws {
        let city = MiniCity(persons: 400, seed: 9)
        let url = Self.folder.appendingPathComponent("survey4.csv")
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("only,two\n".utf8))   // a short row: rejected, never dropped
        try handle.close()
        let source = try RecordSource(path: url.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
        let out = Self.folder.appendingPathComponent("out4")
        let result = try LinkPipeline(settings: LinkSettings(randomPairs: 50_000)).dedupe(source)
        try LinkOutputs.write(result, to: out)
        let summary = try LinkOutputs.write(result, to: out)   // a second run replaces the files
        let clusters = try String(contentsOf: out.appendingPathComponent("clusters.csv"), encoding: .utf8)
        #expect(clusters.split(separator: "\n").count == city.survey.count + 1)
        #expect(clusters.hasPrefix("source,row,cluster_id\nsurvey4,1,survey4:"))
        let pairs = try String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8)
        #expect(pairs.hasPrefix("source_a,row_a,source_b,row_b,probability,match_weight,name,id,birth,sex,phone\n"))
        #expect(pairs.split(separator: "\n").count == result.accepted.count + 1)
        #expect(summary.records == city.survey.count)
        #expect(summary.peakMemoryBytes > 0)
        #expect(summary.secondsPerStage["blocking"] != nil)
        let decoded = try JSONDecoder().decode(LinkSummary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(decoded.pairsAboveThreshold == result.accepted.count)
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 2)
        #expect(summary.sources[0].rowsRead == city.survey.count + 1 && summary.sources[0].rowsRejected == 1)
    }

    @Test func streamingScoresRecordsAsTheyArrive() async throws {
        let city = MiniCity(persons: 600, seed: 5)
        let url = Self.folder.appendingPathComponent("survey5.csv")
        try MiniCity.write(city.survey, header: ["姓名", "证件号码", "性别", "出生日期", "联系电话"], to: url)
        let source = try RecordSource(path: url.path, columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话")
        let pipeline = LinkPipeline(settings: LinkSettings(randomPairs: 50_000))
        let batch = try pipeline.dedupe(source)
        let accepted = Set((0..<batch.pairCount).map { k in "\(batch.pair(k).first) \(batch.pair(k).second)" })

        // With the batch run's model: nothing is trained, every batch of 100 rows comes out
        // scored as it is read, and the pairs it accepts are the batch run's.
        let events = EventLog()
        var streaming = pipeline
        streaming.progress = { events.add($0) }
        var batches = 0, found = Set<String>()
        for try await pairs in streaming.stream([source], model: batch.model, batchRows: 100) {
            batches += 1
            #expect(pairs.comparisons == ["name", "id", "birth", "sex", "phone"])
            for k in 0..<pairs.count {
                let parts = pairs.explanation(k).map(\.weight)
                #expect(abs(parts.reduce(batch.model.priorWeight, +) - pairs.weight[k]) < 1e-3)
                if pairs.probability[k] >= 0.9 { found.insert("\(pairs.first(k)) \(pairs.second(k))") }
            }
        }
        #expect(batches >= 5)
        #expect(!events.all.contains { if case .trained = $0 { true } else { false } })
        let common = found.intersection(accepted).count
        // Streaming weighs names by the frequencies seen so far, so a pair near the threshold
        // may fall on the other side of it: at most a few of some seventy.
        #expect(Double(common) >= 0.97 * Double(accepted.count), "stream found \(common) of \(accepted.count) accepted pairs")
        #expect(Double(common) >= 0.97 * Double(found.count), "\(found.count - common) pairs the batch run rejected")

        // Without a model: the first records train one, then streaming goes on with it.
        var trained = 0
        for try await pairs in pipeline.stream(RecordBatches([source], rows: 200), trainingRecords: 300) {
            trained += pairs.probability.filter { $0 >= 0.9 }.count
        }
        #expect(Double(trained) >= 0.95 * Double(accepted.count))
    }

    @Test func streamingLinksRecordsBuiltInMemory() async throws {
        var register = RecordBatch(source: "register", roles: [.name, .id, .birth])
        register.append(row: 1, ["张伟", "11010519491231002X", "1949-12-31"])
        register.append(row: 2, ["李娜", "110105198002022342", "1980-02-02"])
        var survey = RecordBatch(source: "survey", roles: [.name, .id, .birth])
        survey.append(row: 1, ["章伟", "11010519491231002x", "1949年12月31日"])   // a homophone, the same ID
        survey.append(row: 2, ["李娜", "110105198002023242", "1980/2/2"])          // two digits swapped
        survey.append(row: 3, ["王芳", "", "1975-06-01"])
        // More people in the register, so that the names' term frequencies mean something.
        for (k, name) in ["赵敏", "钱进", "孙丽", "周强", "吴刚", "郑秀", "冯雪", "陈晨", "褚明", "卫东"].enumerated() {
            register.append(row: 3 + k, [name, "", "19\(60 + k)-0\(1 + k % 9)-1\(k % 9)"])
        }
        let model = FellegiSunterModel.priors(for: ComparisonSpec.defaults(for: [.name, .id, .birth]))
        var pairs: [String] = []
        for try await batch in LinkPipeline().stream(Batches([register, survey]), mode: .link, model: model) {
            for k in 0..<batch.count where batch.probability[k] >= 0.9 { pairs.append("\(batch.first(k)) \(batch.second(k))") }
        }
        #expect(pairs.sorted() == ["register:1 survey:1", "register:2 survey:2"])
        // A third source is refused, not silently linked.
        await #expect(throws: ZhaorenError.self) {
            for try await _ in LinkPipeline().stream(Batches([register, survey, RecordBatch(source: "third", roles: [.name])]),
                                                     mode: .link, model: model) {}
        }
    }
}

/// Record batches from an array, as an `AsyncSequence`.
struct Batches: AsyncSequence, Sendable {
    let batches: [RecordBatch]
    init(_ batches: [RecordBatch]) { self.batches = batches }
    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<RecordBatch>
        mutating func next() async throws -> RecordBatch? { rest.popFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: batches[...]) }
}

/// Events collected from a pipeline's progress callback.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [LinkEvent] = []
    func add(_ e: LinkEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [LinkEvent] { lock.lock(); defer { lock.unlock() }; return events }
}

@Suite struct LatinPipelineTests {
    @Test func thresholdAndCannotLinkDefaultsAndJSON() throws {
        let none = LinkSettings()
        #expect(none.threshold == nil && none.acceptance == 0.9 && none.cannotLink == 0.01)
        #expect(none.resolved(roles: [.name, .birth], latinNames: false).threshold == 0.9)
        #expect(none.resolved(roles: [.name, .birth], latinNames: true).threshold == 0.5)
        // A threshold given is kept whatever the script.
        #expect(LinkSettings(threshold: 0.8).resolved(roles: [.name], latinNames: true).threshold == 0.8)
        let decoded = try JSONDecoder().decode(LinkSettings.self, from: Data(#"{"threshold": 0.7, "cannot_link": 0}"#.utf8))
        #expect(decoded.threshold == 0.7 && decoded.cannotLink == 0)
        #expect(try JSONDecoder().decode(LinkSettings.self, from: Data("{}".utf8)).threshold == nil)
        #expect(none.json().contains("\"cannot_link\" : 0.01"))
    }

    @Test func englishRecordsWithSplitNames() throws {
        let given = ["John", "Mary", "Robert", "Patricia", "Michael", "Linda", "William", "Elizabeth", "David", "Susan",
                     "James", "Jennifer", "Thomas", "Sarah", "Charles", "Karen"]
        let surnames = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson",
                        "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark"]
        var rng = SeededGenerator(seed: 77)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        var rows: [String] = ["given,family,dob,street,ssn"]
        var truth = GroundTruth()
        var row = 0
        for p in 0..<1500 {
            let g = pick(given), f = pick(surnames)
            let dob = CivilDate(dayNumber: Int32(-9000 + Int(rng.next() % 18_000)))
            let street = "\(1 + rng.next() % 999) \(pick(["Oak", "Maple", "Cedar", "Pine", "Elm"])) \(pick(["St", "Ave", "Rd"]))"
            let ssn = String(100_000_000 + Int(rng.next() % 899_999_999))
            let copies = rng.next() % 5 == 0 ? 2 : 1
            for c in 0..<copies {
                var gg = g, ff = f, d = dob.description, s = ssn
                if c == 1 {
                    switch rng.next() % 4 {
                    case 0: var a = Array(ff); if a.count > 3 { a.swapAt(1, 2) }; ff = String(a)
                    case 1: gg = String(gg.prefix(gg.count - 1))
                    case 2: d = ""
                    default: s = ""
                    }
                }
                rows.append("\(gg),\(ff),\(d),\(street),\(s)")
                row += 1
                truth.add(source: "people", row: row, entity: "E\(p)")
            }
        }
        let url = PipelineTests.folder.appendingPathComponent("people.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let source = try RecordSource(path: url.path, columns: "given_name=given,surname=family,birth=dob,address=street,other_id=ssn")
        let result = try LinkPipeline(settings: LinkSettings(randomPairs: 200_000)).dedupe(source)
        #expect(result.settings.comparisons?.first?.kind == .latinName)
        #expect(result.settings.threshold == LinkSettings.latinThreshold)
        #expect(result.table.names.raw.first == "Smith John" || result.table.names.raw.first?.contains(" ") == true)
        var clusters: [UInt64: String] = [:]
        for i in 0..<result.table.count { clusters[truth.key(source: "people", row: Int(result.table.row[i]))!] = result.clusterID(of: i) }
        let m = Evaluation.clusters(clusters, truth: truth)
        #expect(m.pairwise.precision >= 0.98, "precision \(m.pairwise.precision)")
        #expect(m.pairwise.recall >= 0.95, "recall \(m.pairwise.recall)")
    }
}
