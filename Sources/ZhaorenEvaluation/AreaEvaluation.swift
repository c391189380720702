import Foundation
import Zhaoren

/// How well a coverage run placed persons in villages: its `persons.csv` against a truth
/// file with the village each person lives in (`truth/persons.csv` of a generated city:
/// `id,county,township,village`).
///
/// A person counts as correctly placed when the run's county, township and village equal the
/// truth's, or the run's registration (`hukou_*`) does and the area came from it.
///
/// ```swift
/// let e = try AreaEvaluation(truth: URL(fileURLWithPath: "city/truth/persons.csv"),
///                            found: URL(fileURLWithPath: "out/persons.csv"))
/// e.villageShare    // 0.9991: persons placed in a village
/// e.correctShare    // 0.9984: of those, in the right one
/// ```
public struct AreaEvaluation: Sendable, Hashable, Codable {
    /// Persons in the run's `persons.csv`.
    public var persons: Int
    /// Of those, placed in a village.
    public var withVillage: Int
    /// Of those, with a key the truth knows.
    public var checked: Int
    /// Of those, in the village the truth gives.
    public var correct: Int
    /// Worklists (distinct county, township, village) the run's persons fall in.
    public var villages: Int

    /// `withVillage / persons`.
    public var villageShare: Double { persons == 0 ? 0 : Double(withVillage) / Double(persons) }
    /// `correct / checked`.
    public var correctShare: Double { checked == 0 ? 1 : Double(correct) / Double(checked) }

    /// Creates an evaluation from its counts.
    public init(persons: Int, withVillage: Int, checked: Int, correct: Int, villages: Int) {
        self.persons = persons
        self.withVillage = withVillage
        self.checked = checked
        self.correct = correct
        self.villages = villages
    }

    /// Compares the files (header-driven; the truth's key column is `id`, the run's `key`).
    public init(truth: URL, found: URL) throws(ZhaorenError) {
        let truthReader = try CSVReader(url: truth)
        let th = truthReader.header
        guard let id = th.firstIndex(of: "id"), let c = th.firstIndex(of: "county"), let t = th.firstIndex(of: "township"),
              let v = th.firstIndex(of: "village") else {
            throw ZhaorenError(.malformedInput, "expected the columns id,county,township,village", file: truth.path, line: 1)
        }
        var places: [String: [String]] = [:]
        try truthReader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch { places[row.string(id)] = [row.string(c), row.string(t), row.string(v)] }
        }
        let reader = try CSVReader(url: found)
        let h = reader.header
        guard let k = h.firstIndex(of: "key"), let fc = h.firstIndex(of: "county"), let ft = h.firstIndex(of: "township"),
              let fv = h.firstIndex(of: "village") else {
            throw ZhaorenError(.malformedInput, "expected a persons.csv with key,county,township,village", file: found.path, line: 1)
        }
        let hc = h.firstIndex(of: "hukou_county"), ht = h.firstIndex(of: "hukou_township"), hv = h.firstIndex(of: "hukou_village")
        var persons = 0, withVillage = 0, checked = 0, correct = 0
        var villages = Set<[String]>()
        try reader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch {
                persons += 1
                let place = [row.string(fc), row.string(ft), row.string(fv)]
                guard !place[2].isEmpty else { continue }
                withVillage += 1
                villages.insert(place)
                guard let truth = places[row.string(k)] else { continue }
                checked += 1
                var hukou: [String]? = nil
                if let hc, let ht, let hv { hukou = [row.string(hc), row.string(ht), row.string(hv)] }
                if truth == place || (hukou == truth && hukou == place) { correct += 1 }
            }
        }
        self.init(persons: persons, withVillage: withVillage, checked: checked, correct: correct, villages: villages.count)
    }
}
