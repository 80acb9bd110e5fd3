import Foundation

/// `$XDG_CONFIG_HOME/meet/config.toml` (else `~/.config/meet/config.toml`):
///
/// ```toml
/// server = "http://localhost:3002"     # or servers = ["http://a:3002", "http://b:3002"]
/// token_file = "~/.config/meet/token"
/// ascii = false
/// color = true
/// bell = true
/// ```
public struct MeetConfig: Sendable, Equatable {
    public var servers: [String] = []
    public var tokenFile: String?
    public var ascii: Bool?
    public var color: Bool?
    public var bell: Bool?

    public init() {}

    /// The default path of the file.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? "~") + "/.config")
        return base + "/meet/config.toml"
    }

    /// Reads the file at `path`; a missing file is an empty configuration.
    public static func load(path: String) throws -> MeetConfig {
        guard FileManager.default.fileExists(atPath: path) else { return MeetConfig() }
        return try parse(String(contentsOfFile: path, encoding: .utf8), source: path)
    }

    /// Parses the subset of TOML the file uses: `key = "string" | true | false | [strings]`.
    public static func parse(_ text: String, source: String = "config.toml") throws -> MeetConfig {
        var config = MeetConfig()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("[") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError("\(source):\(number + 1): expected `key = value`, got `\(line)`")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = stripComment(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            func string() throws -> String {
                guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
                    throw ConfigError("\(source):\(number + 1): \(key) must be a quoted string")
                }
                return String(value.dropFirst().dropLast())
            }
            func bool() throws -> Bool {
                switch value {
                case "true": return true
                case "false": return false
                default: throw ConfigError("\(source):\(number + 1): \(key) must be true or false")
                }
            }
            switch key {
            case "server": config.servers = [try string()]
            case "servers":
                guard value.hasPrefix("["), value.hasSuffix("]") else { throw ConfigError("\(source):\(number + 1): servers must be a list of strings") }
                config.servers = value.dropFirst().dropLast().split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }.filter { !$0.isEmpty }
            case "token_file": config.tokenFile = try string()
            case "ascii": config.ascii = try bool()
            case "color", "colour": config.color = try bool()
            case "bell": config.bell = try bool()
            default: throw ConfigError("\(source):\(number + 1): unknown setting '\(key)' (known: server, servers, token_file, ascii, color, bell)")
            }
        }
        return config
    }

    private static func stripComment(_ value: String) -> String {
        var inString = false
        for (index, character) in zip(value.indices, value) {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return value[..<index].trimmingCharacters(in: .whitespaces) }
        }
        return value
    }
}

/// A configuration problem, said so that the user can fix it.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
