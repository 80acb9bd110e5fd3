import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import MeetingsServer
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `meetings-server serve`: runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server.",
        discussion: """
            Every option can also be set by its environment variable (the option wins):
              PORT (3002), HOST (127.0.0.1), JWT_SECRET (required, at least 32 bytes),
              DATABASE_URL (./meetings.sqlite; :memory: for a throwaway run; postgres://user:pw@host/db), ALLOWED_ORIGINS,
              PRESENCE_GRACE_SECONDS (30), RATE_LIMIT_PER_SECOND (20; 0 turns it off), LOG_LEVEL (info), LOG_FORMAT (text),
              BENCH_HANDLERS (0), CONNECTION_STATE_RECOVERY_SECONDS (0: off), IDLE_TIMEOUT_SECONDS (30; 0: off).
            """
    )

    @Option(help: "Port to listen on (PORT; 0 picks a free one).") var port: String?
    @Option(help: "Address to bind (HOST); 0.0.0.0 to accept other machines.") var host: String?
    @Option(name: .customLong("jwt-secret"), help: "HS256 secret, at least 32 bytes (JWT_SECRET). Prefer the environment: options show in `ps`.") var jwtSecret: String?
    @Option(name: .customLong("database-url"), help: "SQLite file path, :memory:, or postgres://user:password@host:5432/database (DATABASE_URL).") var databaseURL: String?
    @Option(name: .customLong("allowed-origins"), help: "Comma-separated origins given CORS headers for polling, or * (ALLOWED_ORIGINS).") var allowedOrigins: String?
    @Option(name: .customLong("presence-grace-seconds"), help: "Seconds an offline participant has to come back (PRESENCE_GRACE_SECONDS).") var presenceGraceSeconds: String?
    @Option(name: .customLong("rate-limit-per-second"), help: "REST requests per second per user, bursts of 3x; 0 turns it off (RATE_LIMIT_PER_SECOND).") var rateLimitPerSecond: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (LOG_LEVEL).") var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text, or json for one JSON object a line: time, level, label, source, message, metadata (LOG_FORMAT).") var logFormat: String?
    @Option(name: .customLong("connection-state-recovery-seconds"), help: "Socket.IO connection state recovery: seconds a lost connection may come back with what it missed; 0 (the default) turns it off (CONNECTION_STATE_RECOVERY_SECONDS).") var connectionStateRecoverySeconds: String?
    @Option(name: .customLong("idle-timeout-seconds"), help: "Seconds a connection may go without a request in progress (a first request head not yet complete, or between requests) before it is closed; 0 turns it off (IDLE_TIMEOUT_SECONDS, 30).") var idleTimeoutSeconds: String?
    @Flag(name: .customLong("bench-handlers"), help: "Also serve the benchmark events join and bcast for meet-bench (BENCH_HANDLERS=1). Never in production.") var benchHandlers = false

    func run() async throws {
        let options: [String: String?] = [
            "PORT": port, "HOST": host, "JWT_SECRET": jwtSecret, "DATABASE_URL": databaseURL, "ALLOWED_ORIGINS": allowedOrigins,
            "PRESENCE_GRACE_SECONDS": presenceGraceSeconds, "RATE_LIMIT_PER_SECOND": rateLimitPerSecond, "LOG_LEVEL": logLevel, "LOG_FORMAT": logFormat,
            "BENCH_HANDLERS": benchHandlers ? "1" : nil, "CONNECTION_STATE_RECOVERY_SECONDS": connectionStateRecoverySeconds,
            "IDLE_TIMEOUT_SECONDS": idleTimeoutSeconds,
        ]
        let configuration: MeetingsServerConfiguration
        do {
            configuration = try MeetingsServerConfiguration.resolve(options.compactMapValues { $0 }, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.message)
        }
        LoggingSystem.bootstrap { label in configuration.logFormat.handler(label: label, level: configuration.logLevel) }
        // The process's swift-metrics go to the registry `GET /metrics` serves, beside the server's own.
        let metrics = MeetingsMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let logger = Logger(label: "meetings-server")
        let server = try await MeetingsServerApp(configuration: configuration, logger: logger, metrics: metrics)
        let application = server.application { port in
            logger.info("listening", metadata: ["address": "http://\(configuration.host):\(port)", "database": "\(configuration.databaseURL)"])
            // One line on stdout for scripts and tests that start the server on port 0.
            FileHandle.standardOutput.write(Data("listening on \(configuration.host):\(port)\n".utf8))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
