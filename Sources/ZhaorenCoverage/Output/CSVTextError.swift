/// A CSV parse failure: what and on which physical line.
struct CSVTextError: Error {
    var message: String
    var line: Int
}
