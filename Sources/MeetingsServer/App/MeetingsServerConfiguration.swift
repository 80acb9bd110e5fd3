import Foundation
import Logging

/// The settings of `meetings-server serve` (meetings-api §6): each from its command-line
/// option, else its environment variable, else the default.
public struct MeetingsServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 3002
    public var jwtSecret: String
    /// A SQLite file path, `:memory:`, or `postgres://user:password@host:port/database`.
    public var databaseURL = "./meetings.sqlite"
    /// Origins whose polling requests get CORS headers; `["*"]` for any; empty for none.
    public var allowedOrigins: [String] = []
    public var presenceGrace: Duration = .seconds(30)
    /// Requests per second per user; 0 turns the limit off.
    public var rateLimitPerSecond = 20
    public var logLevel: Logger.Level = .info
    /// `text` (swift-log's lines) or `json` (one object a line).
    public var logFormat: LogFormat = .text
    /// Engine.IO heartbeat (the contract's values; tests shorten them).
    public var pingInterval: Duration = .seconds(25)
    public var pingTimeout: Duration = .seconds(20)
    /// The benchmark handlers `join` and `bcast` (see `meet-bench`); off unless asked for.
    public var benchHandlers = false
    /// Socket.IO connection state recovery: how long a lost connection may come back as the same
    /// socket with the events it missed; nil (the default) turns it off, as every event then
    /// carries an extra last argument (its offset) that a client written for the original
    /// service does not expect.
    public var connectionStateRecovery: Duration?
    /// How long a connection may go without a request in progress (none yet, or between
    /// requests) before it is closed; nil turns the limit off (slowloris protection).
    public var idleTimeout: Duration? = .seconds(30)

    public init(jwtSecret: String) { self.jwtSecret = jwtSecret }

    func usesPostgres(_ url: String) -> Bool { url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") }

    /// Whether ``databaseURL`` names a PostgreSQL database.
    public var usesPostgres: Bool { usesPostgres(databaseURL) }

    /// The variables, in the order `--help` lists them.
    public static let variables = [
        "PORT", "HOST", "JWT_SECRET", "DATABASE_URL", "ALLOWED_ORIGINS", "PRESENCE_GRACE_SECONDS", "RATE_LIMIT_PER_SECOND", "LOG_LEVEL", "LOG_FORMAT", "BENCH_HANDLERS",
        "CONNECTION_STATE_RECOVERY_SECONDS", "IDLE_TIMEOUT_SECONDS",
    ]

    /// Resolves the settings: `values` (from options, keyed by variable name) win over
    /// `environment`. Refuses, with a message saying what to change, a missing or short
    /// secret and every malformed value.
    public static func resolve(_ values: [String: String], environment: [String: String]) throws(ConfigurationError) -> MeetingsServerConfiguration {
        func value(_ name: String) -> String? { values[name] ?? environment[name] }
        guard let secret = value("JWT_SECRET"), !secret.isEmpty else {
            throw ConfigurationError("JWT_SECRET is not set: set it (at least 32 bytes, e.g. `export JWT_SECRET=$(openssl rand -hex 32)`) or pass --jwt-secret.")
        }
        _ = try AccessTokens(secret: secret)
        var configuration = MeetingsServerConfiguration(jwtSecret: secret)
        if let port = value("PORT") {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw ConfigurationError("PORT must be a number from 0 to 65535; got '\(port)'.")
            }
            configuration.port = number
        }
        if let host = value("HOST") {
            guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { throw ConfigurationError("HOST must be an address such as 127.0.0.1 or 0.0.0.0; got '\(host)'.") }
            configuration.host = host
        }
        if let url = value("DATABASE_URL") {
            guard !url.isEmpty else { throw ConfigurationError("DATABASE_URL must be a SQLite file path, :memory: or postgres://…; it is empty.") }
            if configuration.usesPostgres(url) { _ = try PostgresMeetingStore.configuration(url) }
            configuration.databaseURL = url
        }
        if let origins = value("ALLOWED_ORIGINS") {
            configuration.allowedOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let grace = value("PRESENCE_GRACE_SECONDS") {
            guard let seconds = Double(grace), seconds >= 0, seconds <= 86_400 else {
                throw ConfigurationError("PRESENCE_GRACE_SECONDS must be a number of seconds from 0 to 86400; got '\(grace)'.")
            }
            configuration.presenceGrace = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let rate = value("RATE_LIMIT_PER_SECOND") {
            guard let number = Int(rate), number >= 0 else {
                throw ConfigurationError("RATE_LIMIT_PER_SECOND must be a whole number of requests per second (0 turns the limit off); got '\(rate)'.")
            }
            configuration.rateLimitPerSecond = number
        }
        if let level = value("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'.")
            }
            configuration.logLevel = parsed
        }
        if let format = value("LOG_FORMAT") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError("LOG_FORMAT must be text or json; got '\(format)'.")
            }
            configuration.logFormat = parsed
        }
        if let recovery = value("CONNECTION_STATE_RECOVERY_SECONDS") {
            guard let seconds = Int(recovery), seconds >= 0 else {
                throw ConfigurationError("CONNECTION_STATE_RECOVERY_SECONDS must be a whole number of seconds, 0 to turn it off; got '\(recovery)'.")
            }
            configuration.connectionStateRecovery = seconds > 0 ? .seconds(seconds) : nil
        }
        if let idle = value("IDLE_TIMEOUT_SECONDS") {
            guard let seconds = Int(idle), seconds >= 0, seconds <= 86_400 else {
                throw ConfigurationError("IDLE_TIMEOUT_SECONDS must be a whole number of seconds from 0 to 86400, 0 to turn it off; got '\(idle)'.")
            }
            configuration.idleTimeout = seconds > 0 ? .seconds(seconds) : nil
        }
        if let bench = value("BENCH_HANDLERS") {
            switch bench.lowercased() {
            case "1", "true", "yes", "on": configuration.benchHandlers = true
            case "0", "false", "no", "off", "": configuration.benchHandlers = false
            default: throw ConfigurationError("BENCH_HANDLERS must be 1 or 0 (true or false); got '\(bench)'.")
            }
        }
        return configuration
    }
}
