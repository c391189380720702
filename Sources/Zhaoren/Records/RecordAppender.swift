import ZhaorenSupport

/// Appends records given as text (a ``RecordBatch``) to a ``RecordTable``, normalizing each
/// value as ``RecordLoader`` does for files: names through the name normalizer (once per
/// distinct name), ID numbers, birth dates, sexes, phones, and folded text for addresses,
/// other identifiers and areas (a postcode stands for the area when there is none).
///
/// ```swift
/// let appender = try RecordAppender()
/// var table = RecordTable()
/// let s = table.addSource("survey")
/// appender.append(batch, source: s, to: &table)
/// ```
package struct RecordAppender: Sendable {
    /// The name normalizer.
    package let names: NameNormalizer
    /// "Today", for judging birth dates inside ID numbers.
    package let today: CivilDate

    /// An appender with `names`, opened when `nil`.
    package init(names: NameNormalizer? = nil, today: CivilDate = .todayInChina()) throws(ZhaorenError) {
        if let names {
            self.names = names
        } else {
            do { self.names = try NameNormalizer() } catch { throw ZhaorenError(.icu, error.message) }
        }
        self.today = today
    }

    /// The slot each role of `roles` feeds (several roles may feed one slot: joined by a space).
    private static func slots(_ roles: [FieldRole]) -> [RecordLoader.Slot?] {
        let hasArea = roles.contains(.area)
        return roles.map { role -> RecordLoader.Slot? in
            switch role {
            case .name, .surname, .givenName: .name
            case .id: .id
            case .birth: .birth
            case .sex: .sex
            case .phone: .phone
            case .address: .address
            case .otherID: .otherID
            case .area: .area
            case .postcode: hasArea ? nil : .area
            case .creditCode, .orgName: nil
            }
        }
    }

    /// Appends every record of `batch` as records of source `s`.
    /// - Complexity: O(values); each new distinct name is normalized once.
    package func append(_ batch: RecordBatch, source s: UInt16, to table: inout RecordTable) {
        let slots = Self.slots(batch.roles)
        table.reserve(batch.count)
        var value = [String](repeating: "", count: RecordLoader.Slot.allCases.count)
        // An address given in several columns keeps its parts (blank ones as missing).
        let addressColumns = slots.reduce(0) { $0 + ($1 == .address ? 1 : 0) }
        var parts: [UInt32] = []
        for (k, values) in batch.values.enumerated() {
            for i in value.indices { value[i] = "" }
            parts.removeAll(keepingCapacity: true)
            for (v, slot) in zip(values, slots) {
                guard let slot else { continue }
                let text = v.trimmingWhitespace()
                if addressColumns > 1 && slot == .address {
                    parts.append(text.isEmpty ? RecordTable.missingID : table.addresses.intern(text) ?? RecordTable.missingID)
                }
                if text.isEmpty { continue }
                value[slot.rawValue] = value[slot.rawValue].isEmpty ? text : value[slot.rawValue] + " " + text
            }
            let nameText = value[RecordLoader.Slot.name.rawValue]
            let name = nameText.isEmpty ? RecordTable.missingID
                : table.names.intern(nameText) { NormalizedName(names.normalize($0), pinyin: names.pinyin) }
            let idText = value[RecordLoader.Slot.id.rawValue]
            var id: (UInt64, Int32, UInt8) = (0, RecordTable.missingDate, 0)
            if !idText.isEmpty {
                var bytes = idText
                id = bytes.withUTF8 { RecordLoader.plainResidentID($0, today: today) } ?? RecordLoader.residentID(idText, today: today)
            }
            let birthText = value[RecordLoader.Slot.birth.rawValue]
            let birth = birthText.isEmpty ? RecordTable.missingDate : RecordTable.birthValue(DateParser.parse(birthText))
            let sexText = value[RecordLoader.Slot.sex.rawValue]
            let sex = sexText.isEmpty ? 0 : Sex(parsing: sexText)?.rawValue ?? 0
            let phoneText = value[RecordLoader.Slot.phone.rawValue]
            var phone: UInt64 = 0
            if !phoneText.isEmpty {
                var column = RecordLoader.PhoneColumn()
                var bytes = phoneText
                bytes.withUTF8 { column.append($0) }
                phone = column.packed[0]
            }
            func text(_ slot: RecordLoader.Slot, _ t: inout TextTable) -> UInt32 {
                let raw = value[slot.rawValue]
                return raw.isEmpty ? RecordTable.missingID : t.intern(raw) ?? RecordTable.missingID
            }
            let address = text(.address, &table.addresses)
            let otherID = text(.otherID, &table.otherIDs)
            let area = text(.area, &table.areas)
            table.appendInterned(source: s, row: UInt32(batch.rows[k]), name: name, id: id.0, idBirth: id.1, idSex: id.2,
                                 birth: birth, sex: sex, phone: phone, address: address, otherID: otherID, area: area)
            table.setLastAddressParts(parts)
        }
    }
}
