import Foundation

/// `$XDG_CONFIG_HOME/meet/config.toml` (else `~/.config/meet/config.toml`), read with TOMLKit:
///
/// ```toml
/// server = "http://localhost:3002"     # or servers = ["http://a:3002", "http://b:3002"]
/// token_file = "~/.config/meet/token"
/// ascii = false
/// color = true
/// bell = true
/// announce = "hands,joins"             # or ["hands", "joins"]; `meet join` then speaks instead of drawing
/// announce_file = "~/meet-announce.txt"
/// log = true                           # the meeting log in $XDG_STATE_HOME/meet/<meeting>.log
///
/// [hooks]                              # event name = the program and its arguments (no shell)
/// hand_raised = ["notify-send", "{who} raised a hand ({position})"]
///
/// [keys]                               # action = one character
/// hand = "H"
///
/// [meeting."k3v9-x7qp-2mzt-8hdc"]      # a profile: overrides any of the above for that meeting
/// bell = false
/// keys.hand = "R"
/// ```
///
/// An unset setting is nil (or empty); the command line wins over the file.
public struct MeetConfig: Sendable, Equatable {
    public var servers: [String] = []
    public var tokenFile: String?
    public var ascii: Bool?
    public var color: Bool?
    public var bell: Bool?
    /// What `meet join` announces instead of drawing the screen (`announce`; empty: nothing).
    public var announce: Set<AnnounceCategory>?
    /// Where announcements go instead of stdout (`announce_file`).
    public var announceFile: String?
    /// Whether the meeting log is written (`log`; unset: yes).
    public var log: Bool?
    /// `[hooks]`: event config name (`hand_raised`) → argv with placeholders. An empty list
    /// turns off (in a profile) a hook of the top level.
    public var hooks: [String: [String]] = [:]
    /// `[keys]`: action name → one character, as ``KeyMap/init(bindings:)`` takes them.
    public var keys: [String: String] = [:]
    /// `[meeting."<id>"]`: per-meeting overrides, by meeting id (see ``profile(for:)``).
    public var profiles: [String: MeetConfig] = [:]

    public init() {}

    /// The default path of the file.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? "~") + "/.config")
        return base + "/meet/config.toml"
    }

    /// Reads the file at `path`; a missing file is an empty configuration.
    public static func load(path: String) throws -> MeetConfig {
        guard FileManager.default.fileExists(atPath: path) else { return MeetConfig() }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError("\(path): cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        return try parse(text, source: path)
    }

    /// Parses a configuration. Errors name `source` and the line: a syntax error, a value of the
    /// wrong type, an unknown setting or hook event, a hook without a program, a `[keys]` table with
    /// an unknown action or a key bound twice (also once a profile's keys are applied).
    public static func parse(_ text: String, source: String = "config.toml") throws(ConfigError) -> MeetConfig {
        try MeetConfigParser(text: text, source: source).parse()
    }

    /// The settings for meeting `meetingId`: the top level with the profile
    /// `[meeting."<meetingId>"]` (if there is one) laid over it. A profile's scalar settings
    /// replace the top level's; its `[hooks]` and `[keys]` replace the top level's entry by
    /// entry (a hook set to `[]` is off for that meeting). The result has no profiles.
    public func profile(for meetingId: String) -> MeetConfig {
        var merged = self
        merged.profiles = [:]
        guard let overlay = profiles[meetingId] else { return merged }
        if !overlay.servers.isEmpty { merged.servers = overlay.servers }
        merged.tokenFile = overlay.tokenFile ?? tokenFile
        merged.ascii = overlay.ascii ?? ascii
        merged.color = overlay.color ?? color
        merged.bell = overlay.bell ?? bell
        merged.announce = overlay.announce ?? announce
        merged.announceFile = overlay.announceFile ?? announceFile
        merged.log = overlay.log ?? log
        merged.hooks.merge(overlay.hooks) { $1 }
        merged.keys.merge(overlay.keys) { $1 }
        return merged
    }

    /// The hooks that run: those with a program.
    public var activeHooks: [String: [String]] { hooks.filter { !$0.value.isEmpty } }

    /// The key map of ``keys`` (already checked by ``parse(_:source:)``).
    public func keyMap() throws(ConfigError) -> KeyMap {
        do { return try KeyMap(bindings: keys) } catch { throw ConfigError(error.description) }
    }
}

/// A configuration problem, said so that the user can fix it.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
