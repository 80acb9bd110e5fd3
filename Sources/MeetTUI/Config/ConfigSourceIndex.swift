/// Where each key of a TOML text is, by scanning its lines: TOMLKit says where a syntax error
/// is but not where a (well-formed) value came from, and an error that names its line is one a
/// person can fix. The scan understands `[table]` and `[[array]]` headers, bare, quoted and
/// dotted keys, and skips multi-line strings; anything it cannot place has no line.
struct ConfigSourceIndex: Sendable {
    /// One line of the text.
    struct Line: Sendable, Hashable {
        /// The table the line is in (for a header: the table it opens).
        var table: [String]
        /// The key path of a `key = value` line (relative to ``table``).
        var key: [String]?
        var isHeader = false
        /// The line as written, without surrounding white space.
        var text: String
    }

    /// The lines, the first at index 0 (line 1).
    private(set) var lines: [Line] = []

    init(_ text: String) {
        var table: [String] = []
        var inMultilineString: Substring?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = raw.trimmingWhitespace()
            var line = Line(table: table, text: String(trimmed))
            if let delimiter = inMultilineString {
                if trimmed.occurrences(of: delimiter) % 2 == 1 { inMultilineString = nil }
                lines.append(line)
                continue
            }
            if trimmed.hasPrefix("[") {
                let isArray = trimmed.hasPrefix("[[")
                var rest = trimmed.dropFirst(isArray ? 2 : 1)
                if let path = Self.keyPath(&rest, terminator: "]") {
                    table = path
                    line.table = path
                    line.isHeader = true
                }
            } else if !trimmed.hasPrefix("#") {
                var rest = trimmed[...]
                if let path = Self.keyPath(&rest, terminator: "=") {
                    line.key = path
                    for delimiter in ["\"\"\"", "'''"] where rest.occurrences(of: delimiter[...]) % 2 == 1 {
                        inMultilineString = delimiter[...]
                    }
                }
            }
            lines.append(line)
        }
    }

    /// The line (1-based) where `path` (table names, then key names) is set or its table opens;
    /// else that of the nearest enclosing table or key that is found.
    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = line(ofExactly: path) { return line }
            path.removeLast()
        }
        return nil
    }

    /// The first line (1-based) that sets `path` or opens its table, or (for a table made
    /// implicitly, by `[a.b.c]` or `a.b = 1`) a key or a table inside it.
    func line(ofExactly path: [String]) -> Int? {
        lines.firstIndex { line in
            guard line.key != nil || line.isHeader else { return false }
            let full = line.table + (line.key ?? [])
            return full.count >= path.count && Array(full.prefix(path.count)) == path
        }.map { $0 + 1 }
    }

    /// The line numbered `number` (1-based).
    func line(_ number: Int) -> Line? {
        lines.indices.contains(number - 1) ? lines[number - 1] : nil
    }

    /// Reads `key.key."quoted key"` up to `terminator`, leaving `text` after it; nil when the
    /// text does not start with a key path so terminated.
    private static func keyPath(_ text: inout Substring, terminator: Character) -> [String]? {
        var path: [String] = []
        var rest = text
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let first = rest.first else { return nil }
            if first == "\"" || first == "'" {
                var segment = ""
                var index = rest.index(after: rest.startIndex)
                var closed = false
                while index < rest.endIndex {
                    let character = rest[index]
                    if character == first { closed = true; break }
                    if character == "\\" && first == "\"", rest.index(after: index) < rest.endIndex {
                        index = rest.index(after: index)
                        segment.append(rest[index])
                    } else {
                        segment.append(character)
                    }
                    index = rest.index(after: index)
                }
                guard closed else { return nil }
                path.append(segment)
                rest = rest[rest.index(after: index)...]
            } else {
                let bare = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                guard !bare.isEmpty else { return nil }
                path.append(String(bare))
                rest = rest.dropFirst(bare.count)
            }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let next = rest.first else { return nil }
            if next == "." {
                rest = rest.dropFirst()
            } else if next == terminator {
                text = rest.dropFirst()
                return path
            } else {
                return nil
            }
        }
    }
}

private extension Substring {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        var text = self
        while let first = text.first, isSpace(first) { text = text.dropFirst() }
        while let last = text.last, isSpace(last) { text = text.dropLast() }
        return text
    }

    func occurrences(of needle: Substring) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
