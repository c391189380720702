import Zhaoren

/// Builds CSV records as UTF-8 bytes, for large files: no intermediate `String` per line.
///
/// ```swift
/// var row = CSVBytes()
/// row.field("张伟"); row.field("a,b"); row.endRecord()   // 张伟,"a,b"\n
/// ```
struct CSVBytes {
    /// The bytes built so far; hand them to a writer and clear them now and then.
    var bytes: [UInt8] = []
    private var atRecordStart = true

    init() { bytes.reserveCapacity(1 << 16) }

    /// Appends one field, quoted as RFC 4180 needs.
    mutating func field(_ value: String) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { append($0) }
        if done == nil { append(Array(value.utf8)) }
    }

    /// Appends one field that is known to need no quoting (numbers, codes).
    mutating func plain(_ value: String) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        bytes.append(contentsOf: value.utf8)
    }

    private mutating func append(_ utf8: some Collection<UInt8>) {
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Appends a field that is a non-negative or negative whole number, without a `String`.
    mutating func int(_ value: Int) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        appendDigits(value)
    }

    /// Appends a `YYYY-MM-DD` date field, without a `String`.
    mutating func date(_ d: CivilDate) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        if d.year < 0 || d.year > 9999 {
            bytes.append(contentsOf: d.description.utf8)
            return
        }
        bytes.append(0x30 + UInt8(d.year / 1000))
        bytes.append(0x30 + UInt8(d.year / 100 % 10))
        bytes.append(0x30 + UInt8(d.year / 10 % 10))
        bytes.append(0x30 + UInt8(d.year % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(d.month / 10))
        bytes.append(0x30 + UInt8(d.month % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(d.day / 10))
        bytes.append(0x30 + UInt8(d.day % 10))
    }

    /// Appends a field made of `count` parts joined by `separator`, each part written by
    /// `part` straight into the bytes; quoted as a whole if any byte needs it.
    ///
    /// ```swift
    /// row.joined(2, separator: 0x3B) { i, bytes in bytes += Array(["a", "b"][i].utf8) }   // a;b
    /// ```
    mutating func joined(_ count: Int, separator: UInt8, _ part: (Int, inout [UInt8]) -> Void) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        let start = bytes.count
        for i in 0..<count {
            if i > 0 { bytes.append(separator) }
            part(i, &bytes)
        }
        var needsQuotes = false
        for j in start..<bytes.count where bytes[j] == 0x2C || bytes[j] == 0x22 || bytes[j] == 0x0A || bytes[j] == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return }
        let content = Array(bytes[start...])
        bytes.removeSubrange(start...)
        append(content)
    }

    /// Appends `x` rounded to `places` decimals without trailing zeros (`0.9877`, `1`, `0.5`);
    /// empty for NaN or infinity.
    mutating func decimal(_ x: Double, places: Int) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        guard x.isFinite, places >= 0, places <= 9 else { return }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(x) * Double(scale)).rounded())
        if x < 0 && scaled != 0 { bytes.append(0x2D) }
        Self.appendDigits(scaled / scale, to: &bytes)
        var fraction = scaled % scale
        guard fraction != 0 else { return }
        var width = places
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(0x2E)
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            bytes.append(0x30 + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends the decimal digits of `value` to `bytes`.
    static func appendDigits(_ value: Int, to bytes: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { bytes.append(0x2D) }
        if v < 10 {
            bytes.append(0x30 + UInt8(v))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    private mutating func appendDigits(_ value: Int) { Self.appendDigits(value, to: &bytes) }

    /// Ends the record with LF.
    mutating func endRecord() {
        bytes.append(0x0A)
        atRecordStart = true
    }

    /// Moves the bytes into `out` once more than `threshold` have gathered.
    mutating func flush(into out: StagedFile, threshold: Int = 1 << 16) {
        guard bytes.count >= threshold else { return }
        out.append(bytes: bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
