import Foundation

/// A minimal reader for the engine's own CSV outputs and truth files (quoted fields allowed,
/// no embedded newlines), returning the requested columns by header name.
enum SimpleCSV {
    static func read(_ url: URL, expecting columns: [String]) throws(ZhaorenError) -> [(Int, [String])] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ZhaorenError(.io, "cannot read: \(error.localizedDescription)", file: url.path)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let head = lines.first else { throw ZhaorenError(.malformedInput, "empty file", file: url.path) }
        let header = split(String(head.hasPrefix("\u{FEFF}") ? head.dropFirst() : head[...]))
        var index: [Int] = []
        for c in columns {
            guard let k = header.firstIndex(of: c) else {
                throw ZhaorenError(.missingColumn, "no column \"\(c)\"; the header has \(header.joined(separator: ", "))", file: url.path, line: 1)
            }
            index.append(k)
        }
        var out: [(Int, [String])] = []
        out.reserveCapacity(lines.count)
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let f = split(String(line.hasSuffix("\r") ? line.dropLast() : line[...]))
            guard index.allSatisfy({ $0 < f.count }) else {
                throw ZhaorenError(.malformedInput, "expected \(header.count) fields, found \(f.count)", file: url.path, line: n + 1)
            }
            out.append((n + 1, index.map { f[$0] }))
        }
        return out
    }

    static func split(_ line: String) -> [String] {
        if !line.contains("\"") { return line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var fields: [String] = [], cur = "", quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" {
                    if let nx = it.next() {
                        if nx == "\"" { cur.append("\"") } else { quoted = false; if nx == "," { fields.append(cur); cur = "" } else { cur.append(nx) } }
                    } else { quoted = false }
                } else { cur.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { fields.append(cur); cur = "" } else { cur.append(ch) }
        }
        fields.append(cur)
        return fields
    }
}
