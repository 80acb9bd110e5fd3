import Foundation
import TOMLKit

/// Reads a ``MeetConfig`` from TOML text (TOMLKit), checking every setting and saying where a
/// problem is (`config.toml:7: unknown setting 'colr' (known: …)`).
///
/// Settings may also sit under a `[meet]` table (files written for the first, line-based reader,
/// which ignored table headers, still read the same). Within a table, settings are applied in
/// the order of their lines, so of `server` and `servers` the later one wins.
struct MeetConfigParser {
    let text: String
    let source: String
    let index: ConfigSourceIndex

    init(text: String, source: String) {
        self.text = text
        self.source = source
        index = ConfigSourceIndex(text)
    }

    /// Where a table's settings are.
    private enum Scope: Equatable {
        /// The top level: every setting, `[meeting.*]` and `[meet]`.
        case top
        /// `[meet]`: the top level's settings, nothing nested further.
        case alias
        /// `[meeting."<id>"]`: the settings a profile can override.
        case profile(String)
    }

    static let settings = ["server", "servers", "token_file", "ascii", "color", "bell", "announce", "announce_file", "log", "hooks", "keys"]

    func parse() throws(ConfigError) -> MeetConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw syntaxError(error)
        } catch {
            throw ConfigError("\(source): \(error)")
        }
        var config = MeetConfig()
        try read(root, path: [], into: &config, scope: .top)
        try checkKeys(config, path: ["keys"], in: nil)
        for id in config.profiles.keys.sorted() {
            try checkKeys(config.profile(for: id), path: ["meeting", id, "keys"], in: id)
        }
        return config
    }

    // MARK: Tables

    private func read(_ table: TOMLTable, path: [String], into config: inout MeetConfig, scope: Scope) throws(ConfigError) {
        for key in ordered(table.keys, in: path) {
            guard let value = table[key] else { continue }
            let full = path + [key]
            switch key {
            case "server": config.servers = [try string(value, full)]
            case "servers": config.servers = try strings(value, full)
            case "token_file": config.tokenFile = try string(value, full)
            case "ascii": config.ascii = try bool(value, full)
            case "color", "colour": config.color = try bool(value, full)
            case "bell": config.bell = try bool(value, full)
            case "log": config.log = try bool(value, full)
            case "announce_file": config.announceFile = try string(value, full)
            case "announce": config.announce = try announce(value, full)
            case "hooks": config.hooks.merge(try hooks(value, full)) { $1 }
            case "keys": config.keys.merge(try keys(value, full)) { $1 }
            case "meeting" where scope == .top:
                guard let meetings = value.table else {
                    throw ConfigError("\(at(full)): profiles are tables: [meeting.\"<meeting id>\"]")
                }
                for id in ordered(meetings.keys, in: full) {
                    guard let profileTable = meetings[id]?.table else {
                        throw ConfigError("\(at(full + [id])): a profile is a table: [meeting.\(Self.quoted(id))]")
                    }
                    var profile = config.profiles[id] ?? MeetConfig()
                    try read(profileTable, path: full + [id], into: &profile, scope: .profile(id))
                    config.profiles[id] = profile
                }
            case "meet" where scope == .top:
                guard let settings = value.table else { throw unknown(key, full, scope) }
                try read(settings, path: full, into: &config, scope: .alias)
            default:
                throw unknown(key, full, scope)
            }
        }
    }

    /// Keys in the order of their lines (those not found last, by name).
    private func ordered(_ keys: [String], in path: [String]) -> [String] {
        let lines: [String: Int] = Dictionary(uniqueKeysWithValues: keys.map { key in (key, index.line(ofExactly: path + [key]) ?? Int.max) })
        return keys.sorted { (a: String, b: String) -> Bool in
            let (lineA, lineB) = (lines[a] ?? Int.max, lines[b] ?? Int.max)
            return lineA == lineB ? a < b : lineA < lineB
        }
    }

    private func unknown(_ key: String, _ path: [String], _ scope: Scope) -> ConfigError {
        switch scope {
        case .top, .alias:
            return ConfigError("\(at(path)): unknown setting '\(key)' (known: \((Self.settings + ["meeting"]).joined(separator: ", ")))")
        case .profile(let id):
            return ConfigError("\(at(path)): unknown setting '\(key)' in the profile [meeting.\(Self.quoted(id))] (known: \(Self.settings.joined(separator: ", ")))")
        }
    }

    // MARK: Values

    private func string(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> String {
        guard value.type == .string, let string = value.string else { throw wrongType(path) }
        return string
    }

    private func bool(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> Bool {
        guard value.type == .bool, let bool = value.bool else { throw wrongType(path) }
        return bool
    }

    private func strings(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> [String] {
        guard value.type == .array, let array = value.array else { throw wrongType(path) }
        var strings: [String] = []
        for element in array {
            guard element.type == .string, let string = element.string else { throw wrongType(path) }
            strings.append(string)
        }
        return strings
    }

    private func announce(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> Set<AnnounceCategory> {
        let words: [String]
        if value.type == .string, let string = value.string {
            words = string.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        } else if value.type == .array {
            words = try strings(value, path)
        } else {
            throw wrongType(path)
        }
        do { return try AnnounceCategory.parse(words: words) } catch { throw ConfigError("\(at(path)): \(error.description)") }
    }

    private func hooks(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> [String: [String]] {
        guard let table = value.table else { throw ConfigError("\(at(path)): [hooks] is a table of event = [\"program\", \"argument\", …]") }
        var hooks: [String: [String]] = [:]
        for event in ordered(table.keys, in: path) {
            guard RoomNotice.events.contains(event) else {
                throw ConfigError("\(at(path + [event])): unknown hook event '\(event)' (known: \(RoomNotice.events.joined(separator: ", ")))")
            }
            guard let argv = table[event] else { continue }
            let words = try strings(argv, path + [event])
            if let program = words.first, program.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ConfigError("\(at(path + [event])): \(display(path + [event])) starts with an empty program name")
            }
            hooks[event] = words
        }
        return hooks
    }

    private func keys(_ value: any TOMLValueConvertible, _ path: [String]) throws(ConfigError) -> [String: String] {
        guard let table = value.table else { throw ConfigError("\(at(path)): [keys] is a table of action = \"key\", e.g. hand = \"H\"") }
        var keys: [String: String] = [:]
        for action in ordered(table.keys, in: path) {
            guard let key = table[action] else { continue }
            keys[action] = try string(key, path + [action])
        }
        return keys
    }

    /// A key map that cannot be built, at the line of the offending binding where there is one.
    private func checkKeys(_ config: MeetConfig, path: [String], in profile: String?) throws(ConfigError) {
        do {
            _ = try KeyMap(bindings: config.keys)
        } catch {
            // The action the message names first (before any list of the known ones).
            let named = error.description.components(separatedBy: "known:")[0]
            let words = named.split { !($0.isLetter || $0 == "_") }.map(String.init)
            let culprit = words.first { config.keys[$0] != nil }
            let line = culprit.flatMap { index.line(ofExactly: path + [$0]) } ?? index.line(of: path)
            let place = line.map { "\(source):\($0)" } ?? source
            let suffix = profile.map { " (in the profile [meeting.\(Self.quoted($0))], with the top level's [keys])" } ?? ""
            throw ConfigError("\(place): \(error.description)\(suffix)")
        }
    }

    // MARK: Errors

    /// `file:line` of `path` (or of the nearest enclosing table), else `file`.
    private func at(_ path: [String]) -> String {
        index.line(of: path).map { "\(source):\($0)" } ?? source
    }

    private func wrongType(_ path: [String]) -> ConfigError {
        ConfigError("\(at(path)): \(display(path)) must be \(Self.expectation(of: Self.relative(path)) ?? "something else")")
    }

    /// A syntax error at its line: for a known setting, what its value must be; a line that is
    /// no `key = value`, said so; else TOMLKit's words.
    private func syntaxError(_ error: TOMLParseError) -> ConfigError {
        let number = error.source.begin.line
        guard let line = index.line(number) else { return ConfigError("\(source): \(error.description)") }
        if let key = line.key {
            let path = line.table + key
            if let expected = Self.expectation(of: Self.relative(path)) {
                return ConfigError("\(source):\(number): \(display(path)) must be \(expected)")
            }
        } else if !line.isHeader && !line.text.isEmpty && !line.text.contains("=") && !line.text.hasPrefix("[") {
            return ConfigError("\(source):\(number): expected `key = value`, got `\(line.text)`")
        }
        return ConfigError("\(source):\(number): \(error.description)")
    }

    /// A path without `[meet]` or `[meeting.<id>]` in front.
    private static func relative(_ path: [String]) -> [String] {
        if path.first == "meet" { return Array(path.dropFirst()) }
        if path.first == "meeting", path.count > 2 { return Array(path.dropFirst(2)) }
        return path
    }

    /// What the value at `path` (relative) must be.
    private static func expectation(of path: [String]) -> String? {
        switch path.count {
        case 1:
            switch path[0] {
            case "server", "token_file", "announce_file": return "a quoted string"
            case "servers": return "a list of strings"
            case "ascii", "color", "colour", "bell", "log": return "true or false"
            case "announce": return "a string or a list of categories, e.g. \"hands,joins\" (known: \(AnnounceCategory.allCases.map(\.rawValue).joined(separator: ", ")), all, none)"
            case "hooks": return "a table of event = [\"program\", \"argument\", …]"
            case "keys": return "a table of action = \"key\""
            default: return nil
            }
        case 2 where path[0] == "hooks":
            return "a list of strings: the program and its arguments, e.g. [\"notify-send\", \"{who} raised a hand\"]"
        case 2 where path[0] == "keys":
            return "one character in quotes, e.g. \(path[1]) = \"\(KeyMap.Action(rawValue: path[1]).flatMap { KeyMap.defaults[$0] }.map(String.init) ?? "x")\""
        default:
            return nil
        }
    }

    /// A path as it would be written in the file: `ascii`, `hooks.hand_raised`, `meeting."a b".bell`.
    private func display(_ path: [String]) -> String {
        (path.first == "meet" ? Array(path.dropFirst()) : path).map(Self.quoted).joined(separator: ".")
    }

    /// A key as TOML writes it: bare when it can be.
    static func quoted(_ key: String) -> String {
        let bare = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return bare ? key : "\"\(key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    }
}
