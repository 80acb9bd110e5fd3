// meet: attend meetings from the terminal.
import ArgumentParser
import Foundation
import Logging
import MeetDemo
import MeetTUI
import MeetingsContract
import SocketIOClient
import SocketIOProtocol

@main
struct MeetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meet",
        abstract: "Attend meetings from the terminal.",
        discussion: """
            Try it with no server and no setup:  meet demo
            Config file: $XDG_CONFIG_HOME/meet/config.toml (server, token_file, ascii, color, bell, announce,
            announce_file, log, [hooks], [keys], [meeting."<id>"] profiles; see the README).
            """,
        subcommands: [Join.self, Create.self, List.self, Demo.self, Watch.self] + OneShot.commands
    )

    /// ArgumentParser's `main`, except that a usage error exits with status 2 (its default is 64).
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitCode(OneShot.Status.usage.rawValue))
        }
    }
}

/// Options every command that talks to a server shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "Server URL (MEET_SERVER; default http://localhost:3002). Repeat for several server nodes.")
    var servers: [String] = []
    @Option(name: .customLong("token-file"), help: "A file holding your access token (preferred: a token on the command line shows in `ps`).")
    var tokenFile: String?
    @Option(help: "Your access token (MEET_TOKEN). Prefer --token-file or the config file.")
    var token: String?
    @Option(help: "auto, websocket or polling.")
    var transport: String = "auto"
    @Flag(help: "ASCII markers only (no Unicode symbols).")
    var ascii = false
    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set).")
    var noColor = false
    @Flag(name: .customLong("no-bell"), help: "No bell when a hand goes up (hosts hear it by default).")
    var noBell = false
    @Option(help: "Config file (default $XDG_CONFIG_HOME/meet/config.toml).")
    var config: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func loadConfig() throws -> MeetConfig {
        do {
            return try MeetConfig.load(path: config ?? MeetConfig.defaultPath())
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    func transportMode() throws -> TransportMode {
        switch transport {
        case "auto": return .auto
        case "websocket": return .websocket
        case "polling": return .polling
        default: throw ValidationError("--transport must be auto, websocket or polling; got '\(transport)'.")
        }
    }

    /// The config file's settings, with the profile of `meetingId` (`[meeting."<id>"]`) applied.
    func config(for meetingId: String?) throws -> MeetConfig {
        let config = try loadConfig()
        return meetingId.map { config.profile(for: $0) } ?? config
    }

    func displayOptions(_ config: MeetConfig) throws -> ClientModel.Options {
        let noColorEnv = !(environment["NO_COLOR"] ?? "").isEmpty
        let keys: KeyMap
        do { keys = try config.keyMap() } catch { throw ValidationError("\(self.config ?? MeetConfig.defaultPath()): \(error)") }
        return ClientModel.Options(
            ascii: ascii || config.ascii == true,
            color: !noColor && !noColorEnv && config.color != false,
            bell: !noBell && config.bell != false,
            keys: keys
        )
    }

    /// The settings of a session in `meetingId` (its profile applied), or of no meeting in particular.
    func settings(meetingId: String? = nil) throws -> SessionSettings {
        try settings(config(for: meetingId))
    }

    func settings(_ config: MeetConfig) throws -> SessionSettings {
        var servers = self.servers
        if servers.isEmpty, let value = environment["MEET_SERVER"], !value.isEmpty {
            servers = value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if servers.isEmpty { servers = config.servers }
        if servers.isEmpty { servers = ["http://localhost:3002"] }
        return SessionSettings(servers: servers, token: try resolveToken(config), transport: try transportMode(), options: try displayOptions(config),
                               hooks: config.activeHooks, logDirectory: config.log == false ? nil : MeetingLog.directory(environment: environment))
    }

    func resolveToken(_ config: MeetConfig) throws -> String {
        if let token, !token.isEmpty { return token }
        if let path = tokenFile ?? (environment["MEET_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } == nil ? config.tokenFile : nil) {
            let expanded = expandingHome(path, environment: environment)
            guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
                throw ValidationError("Cannot read the token file \(expanded).")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token = environment["MEET_TOKEN"], !token.isEmpty { return token }
        throw ValidationError("No access token: pass --token-file FILE, set MEET_TOKEN, or set token_file in \(config == MeetConfig() ? MeetConfig.defaultPath() : "the config file"). A server admin mints one with `meetings-server token <you>`. Or try `meet demo`.")
    }
}

/// Keeps library logs off the screen the TUI draws on.
func silenceLogs() {
    LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
}

/// Prints a refused request the way a person can act on it and exits with status 1.
func fail(_ error: any Error) -> Never {
    FileHandle.standardError.write(Data("meet: \(error)\n".utf8))
    exit(1)
}

struct Join: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a meeting and show it (or, with --announce, say what happens in plain sentences).",
        discussion: """
            The config's [hooks] run and the meeting log ($XDG_STATE_HOME/meet/<id>.log) is written in both modes.
            A [meeting."<id>"] profile in the config overrides its settings for that meeting.
            """
    )
    @Argument(help: "The meeting id, e.g. k3v9-x7qp-2mzt-8hdc.") var meetingId: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var session: SessionOptions

    func run() async throws {
        let config = try connection.config(for: meetingId)
        let settings = try session.apply(to: connection.settings(config))
        let announce = try session.announce(config)
        silenceLogs()
        do { try await session.attend(meetingId, settings: settings, announce: announce) } catch { fail(error) }
    }
}

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a meeting and join it as its host.")
    @Argument(help: "The title.") var title: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var session: SessionOptions

    func run() async throws {
        let config = try connection.config(for: nil)
        let settings = try session.apply(to: connection.settings(config))
        _ = try session.announce(config)
        silenceLogs()
        do {
            let id = try await settings.api.createMeeting(title: title).id
            FileHandle.standardError.write(Data("Created \(id)\n".utf8))
            // A profile for the new id is unlikely but honoured, like join's.
            let profiled = try connection.config(for: id)
            try await session.attend(id, settings: session.apply(to: connection.settings(profiled)), announce: session.announce(profiled))
        } catch { fail(error) }
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the meetings you created, host or take part in.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings()
        silenceLogs()
        do {
            let meetings = try await settings.api.call(MeetingsRoutes.listMeetings)
            if meetings.isEmpty { print("No meetings yet. Create one with: meet create \"Weekly sync\"") }
            for meeting in meetings {
                print("\(meeting.id)  \(meeting.title)  (\(meeting.participantCount) in)\(meeting.locked ? "  locked" : "")")
            }
        } catch { fail(error) }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A local server, a demo meeting with live activity, and you in it as host (no setup, no network).",
        discussion: "Ends with q. Nothing is kept: the server runs in this process with an in-memory database."
    )
    @Option(help: "auto, websocket or polling.") var transport: String = "auto"
    @Flag(help: "ASCII markers only.") var ascii = false
    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set).") var noColor = false
    @Flag(name: .customLong("no-bell"), help: "No bell when a hand goes up.") var noBell = false

    func run() async throws {
        var connection = try ConnectionOptions.parse([])
        connection.transport = transport
        connection.ascii = ascii
        connection.noColor = noColor
        connection.noBell = noBell
        let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "you"
        let userId = String(user.filter { $0.isLetter || $0.isNumber || "._@-".contains($0) }.prefix(32))
        // The config file's display settings and [keys] apply here too (its server and token do not).
        let options = try connection.displayOptions(connection.loadConfig())
        let mode = try connection.transportMode()
        silenceLogs()
        do {
            try await DemoSession.run(you: userId.isEmpty ? "you" : userId, name: userId.isEmpty ? "You" : userId.capitalized,
                                   transport: mode, options: options)
        } catch { fail(error) }
    }
}

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a meeting and print one JSON line per snapshot, event and connection change (for scripts, logs and bots).",
        discussion: """
            Lines: {"type":"snapshot","state":{…}}, {"type":"event","event":"meeting:hand-raised","data":{…}},
            {"type":"connection","state":"connected","transport":"websocket"},
            {"type":"connection","state":"reconnecting","attempt":2,"inMs":1800}, {"type":"error","message":"…"}.
            A watcher is a visible participant; it leaves on Ctrl-C. For sentences a screen reader can speak, see meet join --announce.
            """
    )
    @Argument(help: "The meeting id.") var meetingId: String
    @Flag(help: "JSON lines (the default and only format; kept for scripts that pass it).") var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings(meetingId: meetingId)
        silenceLogs()
        do { try await MeetSession.watch(settings, meetingId: meetingId) } catch { fail(error) }
    }
}
