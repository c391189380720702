import Foundation
import ZhaorenSupport
import ZhaorenICU

/// Reads sources in batches into a ``RecordTable``: every row's role values are interned by
/// their bytes while reading, then each DISTINCT value is normalized once (in parallel), and
/// the columns are filled from the distinct results. Rejected rows are kept for `rejects.csv`.
///
/// ```swift
/// let loaded = try RecordLoader().load([survey])
/// loaded.table.count; loaded.rejects.count
/// ```
package struct RecordLoader {
    /// What loading produced.
    public struct Loaded: Sendable {
        /// The records, in source order then row order.
        public var table: RecordTable
        /// Rows the reader rejected.
        public var rejects: [RejectedRow]
        /// Per source, the reader's statistics.
        public var statistics: [ReadStatistics]
        /// Roles present in any source.
        public var roles: Set<FieldRole>
        /// Share of names in Latin script.
        public var latinShare: Double
        /// Distinct values normalized, per role.
        public var distinctValues: [String: Int]

        /// Records built in memory rather than read from files: `roles` are the roles the
        /// records carry (they choose the default comparisons and blocking rules).
        public init(table: RecordTable, roles: Set<FieldRole>, latinShare: Double = 0,
                    rejects: [RejectedRow] = [], statistics: [ReadStatistics] = [], distinctValues: [String: Int] = [:]) {
            self.table = table
            self.roles = roles
            self.latinShare = latinShare
            self.rejects = rejects
            self.statistics = statistics
            self.distinctValues = distinctValues
        }
    }

    private let names: NameNormalizer?

    /// Creates a loader; `names` (opened on demand when nil) normalizes person names.
    public init(names: NameNormalizer? = nil) {
        self.names = names
    }

    enum Slot: Int, CaseIterable { case name, id, birth, sex, phone, address, otherID, area }

    /// The distinct values read into `slot`, in the order they were first seen.
    private static func distinct(_ interners: [ByteInterner], _ slot: Slot) -> [String] {
        let interner = interners[slot.rawValue]
        return (0..<interner.count).map { interner.string($0) }
    }

    /// What the loader works out beside the names: per distinct value, dates and sexes; the
    /// folded text tables and each distinct value's id in them; the seconds it took.
    private struct SideValues: Sendable {
        var births: [Int32], sexes: [UInt8]
        var addresses: TextTable, otherIDs: TextTable, areas: TextTable
        var addressIDs: [UInt32], otherIDIDs: [UInt32], areaIDs: [UInt32]
        var seconds: Double
    }

    /// Loads `sources` in order.
    /// - Throws: `ZhaorenError` for unreadable files, missing columns or an ICU failure.
    /// - Complexity: O(bytes read) plus one normalization per distinct value per role.
    public func load(_ sources: [RecordSource], progress: (@Sendable (LinkEvent) -> Void)? = nil) throws(ZhaorenError) -> Loaded {
        let today = CivilDate.todayInChina()
        let columns = SlotColumns(today: today)
        var rejects: [RejectedRow] = []
        var statistics: [ReadStatistics] = []
        var roles = Set<FieldRole>()
        var table = RecordTable()
        var batches = 0
        // The name normalizer's ICU setup runs beside the reading.
        var opening: PendingNormalizer?
        var clock = Stopwatch()
        // Every file is opened and its columns matched before any is read, so a wrong column
        // name in the last file fails at once.
        var opened: [(CSVReader, ColumnSelection)] = []
        for source in sources {
            try source.columns.checkRoles(FieldRole.allCases.map(\.rawValue), what: "\(source.name): columns")
            var options = source.options
            options.sourceName = source.name
            let reader = try CSVReader(url: source.url, options: options)
            opened.append((reader, try reader.select(source.columns)))
        }
        for (source, (reader, selection)) in zip(sources, opened) {
            let s = table.addSource(source.name)
            // Entry indices feeding each slot (several are joined by a space).
            var feeds: [[Int]] = Slot.allCases.map { _ in [] }
            if let n = selection.entryIndex(.name) {
                feeds[Slot.name.rawValue] = [n]
            } else {
                feeds[Slot.name.rawValue] = [selection.entryIndex(.surname), selection.entryIndex(.givenName)].compactMap { $0 }
                // joined by a space: the name normalizer drops it for Han names, keeps it between Latin tokens
            }
            let pairs: [(Slot, FieldRole)] = [(.id, .id), (.birth, .birth), (.sex, .sex), (.phone, .phone),
                                              (.address, .address), (.otherID, .otherID), (.area, .area)]
            for (slot, role) in pairs { if let e = selection.entryIndex(role) { feeds[slot.rawValue] = [e] } }
            if feeds[Slot.area.rawValue].isEmpty, let e = selection.entryIndex(.postcode) { feeds[Slot.area.rawValue] = [e] }   // postcode as area
            for entry in selection.entries { if let r = entry.fieldRole { roles.insert(r) } }
            if names == nil && opening == nil && !feeds[Slot.name.rawValue].isEmpty { opening = PendingNormalizer() }
            // Pipelined: while one batch is absorbed into the columns (in parallel, by slot),
            // the reader fills the other.
            var current = reader.makeBatch(), next = reader.makeBatch()
            var more = try reader.nextBatch(into: current)
            while more {
                let group = DispatchGroup()
                nonisolated(unsafe) let work = current
                let sel = selection, fd = feeds
                DispatchQueue.global().async(group: group) { columns.absorb(work, source: s, selection: sel, feeds: fd) }
                do { more = try reader.nextBatch(into: next) } catch {
                    group.wait()
                    throw error
                }
                group.wait()
                rejects.append(contentsOf: current.rejects)
                batches += 1
                if batches % 16 == 0 { progress?(.rowsRead(source: source.name, rows: reader.statistics.rowsRead)) }
                swap(&current, &next)
            }
            statistics.append(reader.statistics)
        }
        let n = columns.source.count
        progress?(.step("read \(n) rows", seconds: clock.lap()))
        func lap(_ what: String) { progress?(.step(what, seconds: clock.lap())) }
        var distinctValues: [String: Int] = [:]
        for slot in Slot.allCases where slot != .id && slot != .phone && columns.interners[slot.rawValue].count > 0 {
            distinctValues["\(slot)"] = columns.interners[slot.rawValue].count
        }

        // Dates, sexes and free text (addresses, other ids, areas) on another thread while the
        // names are normalized here: the two share nothing but the read interners.
        let interners = columns.interners
        let emptyTexts = (table.addresses, table.otherIDs, table.areas)
        let (side, latin) = try Parallel.overlap({ () throws(ZhaorenError) -> SideValues in
            var watch = Stopwatch()
            // Dates and sexes: per distinct value, in parallel.
            let rawBirths = Self.distinct(interners, .birth)
            let births: [Int32] = Parallel.mapChunks(count: rawBirths.count, minimumChunk: 1024) { range in
                range.map { RecordTable.birthValue(DateParser.parse(rawBirths[$0])) }
            }.flatMap { $0 }
            let sexes: [UInt8] = Self.distinct(interners, .sex).map { Sex(parsing: $0)?.rawValue ?? 0 }
            // Free text: fold in parallel, intern serially.
            var (addresses, otherIDs, areas) = emptyTexts
            let addressIDs = addresses.internAll(interners[Slot.address.rawValue])
            let otherIDIDs = otherIDs.internAll(interners[Slot.otherID.rawValue])
            let areaIDs = areas.internAll(interners[Slot.area.rawValue])
            return SideValues(births: births, sexes: sexes, addresses: addresses, otherIDs: otherIDs, areas: areas,
                              addressIDs: addressIDs, otherIDIDs: otherIDIDs, areaIDs: areaIDs, seconds: watch.lap())
        }, while: { () throws(ZhaorenError) -> Int in
            let rawNames = Self.distinct(interners, .name)
            guard !rawNames.isEmpty else { return 0 }
            let normalizer: NameNormalizer
            if let names { normalizer = names } else {
                do throws(ICUError) { normalizer = try (opening ?? PendingNormalizer()).wait() } catch { throw ZhaorenError(.icu, error.message) }
            }
            let people = normalizer.normalize(rawNames)
            lap("name normalizer")
            let pinyin = normalizer.pinyin
            let normalized = Parallel.mapChunks(count: people.count, minimumChunk: 4096) { range in
                range.map { NormalizedName(people[$0], pinyin: pinyin) }
            }.flatMap { $0 }
            lap("pinyin keys")
            table.names.addDistinct(rawNames, normalized)
            lap("names (\(rawNames.count) distinct)")
            return normalized.reduce(0) { $0 + ($1.isLatin ? 1 : 0) }
        })
        let nameCount = interners[Slot.name.rawValue].count
        let (births, sexes, addressIDs, otherIDs, areaIDs) = (side.births, side.sexes, side.addressIDs, side.otherIDIDs, side.areaIDs)
        (table.addresses, table.otherIDs, table.areas) = (side.addresses, side.otherIDs, side.areas)
        progress?(.step("dates, sexes, addresses, other ids, areas (beside the names)", seconds: side.seconds))
        _ = clock.lap()   // waiting for the other thread: counted in its seconds above
        // Columns.
        let ids = columns.ids
        table.source = columns.source
        table.row = columns.row
        table.name = ids[Slot.name.rawValue]
        table.id = columns.idColumns.packed
        table.idBirth = columns.idColumns.birth
        table.idSex = columns.idColumns.sex
        table.birth = ids[Slot.birth.rawValue].map { $0 == RecordTable.missingID ? RecordTable.missingDate : births[Int($0)] }
        table.sex = ids[Slot.sex.rawValue].map { $0 == RecordTable.missingID ? 0 : sexes[Int($0)] }
        table.phone = columns.phoneColumn.packed
        table.address = ids[Slot.address.rawValue].map { $0 == RecordTable.missingID ? RecordTable.missingID : addressIDs[Int($0)] }
        table.otherID = ids[Slot.otherID.rawValue].map { $0 == RecordTable.missingID ? RecordTable.missingID : otherIDs[Int($0)] }
        table.area = ids[Slot.area.rawValue].map { $0 == RecordTable.missingID ? RecordTable.missingID : areaIDs[Int($0)] }
        if !columns.partStart.isEmpty {
            precondition(columns.partStart.count == n + 1)
            table.addressPartStart = columns.partStart
            table.addressPartPool = columns.partPool.map { $0 == RecordTable.missingID ? RecordTable.missingID : addressIDs[Int($0)] }
        }
        precondition(table.id.count == n && table.area.count == n)
        lap("columns")
        return Loaded(table: table, roles: roles, latinShare: nameCount == 0 ? 0 : Double(latin) / Double(nameCount),
                      rejects: rejects, statistics: statistics, distinctValues: distinctValues)
    }

    /// Packed ID, ID birth day number and ID sex for one raw value. IDs that fail their check
    /// digit are kept (typos must still match) when they are 18 characters of digits and X.
    ///
    /// ```swift
    /// let (packed, birthDay, sex) = RecordLoader.residentID("11010519491231002X", today: .todayInChina())
    /// ```
    public static func residentID(_ raw: String, today: CivilDate) -> (UInt64, Int32, UInt8) {
        let plain = Array(raw.utf8)
        if let r = plain.withUnsafeBufferPointer({ plainResidentID($0, today: today) }) { return r }
        // An 18-digit number cut to 15 characters (a spreadsheet column too narrow) reads as a
        // legacy number born in 1919/1920; keep its real birth date, drop the number.
        let cleaned = IdentifierText(raw).bytes
        if cleaned.count == 15, cleaned[6] == UInt8(ascii: "1") && cleaned[7] == UInt8(ascii: "9")
            || cleaned.count == 15 && cleaned[6] == UInt8(ascii: "2") && cleaned[7] == UInt8(ascii: "0") {
            let digits = cleaned[6..<14].map { Int($0) - 48 }
            if digits.allSatisfy({ (0...9).contains($0) }),
               let date = CivilDate(year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                                    month: digits[4] * 10 + digits[5], day: digits[6] * 10 + digits[7]),
               date <= today {
                return (0, date.dayNumber, 0)
            }
        }
        let id = ResidentID.parse(raw, asOf: today)
        let birth = id.birthDate?.dayNumber ?? RecordTable.missingDate
        let sex = id.sex?.rawValue ?? 0
        if let n = id.normalized, let packed = PackedDigits.packID(n) { return (packed, birth, sex) }
        let bytes = cleaned
        if bytes.count == 18, let packed = PackedDigits.packID(String(decoding: bytes, as: UTF8.self)) {
            return (packed, birth, sex)
        }
        return (0, birth, sex)
    }
}
