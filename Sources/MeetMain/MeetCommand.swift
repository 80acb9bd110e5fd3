// meet: attend meetings from the terminal.
import ArgumentParser
import Foundation
import Logging
import MeetTUI
import SocketIOClient
import SocketIOProtocol

@main
struct MeetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meet",
        abstract: "Attend meetings from the terminal.",
        discussion: """
            Try it with no server and no setup:  meet demo
            Config file: $XDG_CONFIG_HOME/meet/config.toml (server, token_file, ascii, color, bell).
            """,
        subcommands: [Join.self, Create.self, List.self, Demo.self, Watch.self]
    )
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

    func displayOptions(_ config: MeetConfig) -> ClientModel.Options {
        let noColorEnv = !(environment["NO_COLOR"] ?? "").isEmpty
        return ClientModel.Options(
            ascii: ascii || config.ascii == true,
            color: !noColor && !noColorEnv && config.color != false,
            bell: !noBell && config.bell != false
        )
    }

    func settings() throws -> SessionSettings {
        let config = try loadConfig()
        var servers = self.servers
        if servers.isEmpty, let value = environment["MEET_SERVER"], !value.isEmpty {
            servers = value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if servers.isEmpty { servers = config.servers }
        if servers.isEmpty { servers = ["http://localhost:3002"] }
        return SessionSettings(servers: servers, token: try resolveToken(config), transport: try transportMode(), options: displayOptions(config))
    }

    func resolveToken(_ config: MeetConfig) throws -> String {
        if let token, !token.isEmpty { return token }
        if let path = tokenFile ?? (environment["MEET_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } == nil ? config.tokenFile : nil) {
            let expanded = path.hasPrefix("~/") ? (environment["HOME"] ?? "") + path.dropFirst() : path
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
    static let configuration = CommandConfiguration(abstract: "Join a meeting and show it.")
    @Argument(help: "The meeting id, e.g. k3v9-x7qp-2mzt-8hdc.") var meetingId: String
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings()
        silenceLogs()
        do { try await MeetSession.run(settings, meetingId: meetingId) } catch { fail(error) }
    }
}

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a meeting and join it as its host.")
    @Argument(help: "The title.") var title: String
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings()
        silenceLogs()
        do {
            let created = try await settings.api.createMeeting(title: title)
            guard let id = created["id"]?.stringValue else { throw ValidationError("The server did not return a meeting id.") }
            FileHandle.standardError.write(Data("Created \(id)\n".utf8))
            try await MeetSession.run(settings, meetingId: id)
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
            let meetings = try await settings.api.call("GET", "/api/meetings").arrayValue ?? []
            if meetings.isEmpty { print("No meetings yet. Create one with: meet create \"Weekly sync\"") }
            for meeting in meetings {
                let id = meeting["id"]?.stringValue ?? "?"
                let title = meeting["title"]?.stringValue ?? ""
                let count = meeting["participantCount"]?.intValue ?? 0
                let locked = meeting["locked"] == true ? "  locked" : ""
                print("\(id)  \(title)  (\(count) in)\(locked)")
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
        silenceLogs()
        do {
            try await MeetDemo.run(you: userId.isEmpty ? "you" : userId, name: userId.isEmpty ? "You" : userId.capitalized,
                                   transport: try connection.transportMode(), options: connection.displayOptions(MeetConfig()))
        } catch { fail(error) }
    }
}

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a meeting and print one JSON line per snapshot and event (for scripts, logs and screen readers).",
        discussion: "A watcher is a visible participant; it leaves on Ctrl-C."
    )
    @Argument(help: "The meeting id.") var meetingId: String
    @Flag(help: "JSON lines on stdout (the only format).") var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard json else { throw ValidationError("meet watch prints JSON lines; pass --json.") }
        let settings = try connection.settings()
        silenceLogs()
        do { try await MeetSession.watch(settings, meetingId: meetingId) } catch { fail(error) }
    }
}
