/// The characters that names are made of, each with a small id and its UTF-8 bytes, so that
/// people store names as a few `UInt16`s and rows are written by copying bytes.
struct CharTable: Sendable {
    /// Marks "no character" in a name slot.
    static let none: UInt16 = 0xFFFF

    private(set) var strings: [String] = []
    private(set) var bytes: [[UInt8]] = []
    private var index: [String: UInt16] = [:]

    /// The id of `text`, adding it if new. Ids follow insertion order, so the table is deterministic.
    mutating func id(_ text: some StringProtocol) -> UInt16 {
        let key = String(text)
        if let found = index[key] { return found }
        let new = UInt16(strings.count)
        precondition(new < CharTable.none, "character table full")
        strings.append(key)
        bytes.append(Array(key.utf8))
        index[key] = new
        return new
    }

    /// The id of `text` if it is in the table.
    func lookup(_ text: some StringProtocol) -> UInt16? { index[String(text)] }

    /// The number of characters.
    var count: Int { strings.count }
}
