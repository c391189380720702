/// Strict reading of settings files: a key the type does not know is an error that lists the
/// keys it accepts, instead of being silently ignored (a typo such as `"treshold"` would
/// otherwise leave the default in force without a word).
///
/// ```swift
/// init(from decoder: any Decoder) throws {
///     try decoder.rejectUnknownKeys(CodingKeys.self)
///     …
/// }
/// ```
extension Decoder {
    /// Throws `DecodingError.dataCorrupted` naming the first key of the current object that is
    /// not one of `keys`, and the accepted keys.
    package func rejectUnknownKeys<Key: CodingKey & CaseIterable>(_ keys: Key.Type) throws {
        let accepted = Key.allCases.map(\.stringValue)
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !accepted.contains(key.stringValue) {
            let suggestion = accepted.min { editDistance($0, key.stringValue) < editDistance($1, key.stringValue) }
                .flatMap { editDistance($0, key.stringValue) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown key \"\(key.stringValue)\"\(suggestion); accepted: \(accepted.joined(separator: ", "))"))
        }
    }
}

/// Any string key, for reading the keys an object actually has.
package struct AnyCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The Levenshtein distance of two short strings (settings keys, role names), for "did you mean".
package func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    var row = Array(0...y.count)
    for i in 1...x.count {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: y.count, by: 1) {
            let current = row[j]
            row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[y.count]
}
