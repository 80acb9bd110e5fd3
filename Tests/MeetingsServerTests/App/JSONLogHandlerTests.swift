import MeetingsContract
import Logging
import MeetingsServer
import SocketIOProtocol
import Synchronization
import Testing

/// `--log-format json`: one JSON object a line.
@Suite("JSON log handler")
struct JSONLogHandlerTests {
    /// The lines written.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A logger whose lines are kept, at a fixed time.
    static func logger(provider: Logger.MetadataProvider? = nil) -> (Logger, Lines) {
        let lines = Lines()
        let handler = JSONLogHandler(
            label: "meetings-server", metadataProvider: provider, clock: { Timestamp(milliseconds: 1_795_773_600_123) },
            write: { line in lines.append(line) }
        )
        var logger = Logger(label: "meetings-server") { _ in handler }
        logger.logLevel = .debug
        return (logger, lines)
    }

    @Test func eachEntryIsOneLineWithTimeLevelLabelMessageAndMetadata() throws {
        let (logger, lines) = Self.logger()
        var scoped = logger
        scoped[metadataKey: "node"] = "a"
        scoped.info("request \"quoted\"\nsecond line", metadata: [
            "status": "200", "ms": .stringConvertible(3), "tags": ["x", "y"], "peer": ["host": "127.0.0.1"],
        ])
        logger.trace("below the level")
        logger.warning("plain")
        let written = lines.all
        try #require(written.count == 2)
        #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        #expect(written[0].hasPrefix(#"{"time":"2026-11-27T10:00:00.123Z","level":"info","label":"meetings-server","source":"#))
        let entry = try JSONValue(parsing: String(written[0].dropLast()))
        #expect(entry["message"] == "request \"quoted\"\nsecond line")
        #expect(entry["metadata"] == [
            "ms": "3", "node": "a", "peer": ["host": "127.0.0.1"], "status": "200", "tags": ["x", "y"],
        ])
        let plain = try JSONValue(parsing: String(written[1].dropLast()))
        #expect(plain["level"] == "warning")
        #expect(plain["metadata"] == nil, "no metadata, no member")
    }

    @Test func theEntryWinsOverTheProviderWhichWinsOverTheHandler() throws {
        let (base, lines) = Self.logger(provider: Logger.MetadataProvider { ["request": "from-provider", "trace": "t1"] })
        var logger = base
        logger[metadataKey: "request"] = "from-handler"
        logger[metadataKey: "user"] = "u1"
        logger.error("failed", metadata: ["trace": "from-entry"])
        let entry = try JSONValue(parsing: String(try #require(lines.all.first).dropLast()))
        #expect(entry["metadata"] == ["request": "from-provider", "trace": "from-entry", "user": "u1"])
    }

    @Test func theFormatIsChosenByLogFormat() throws {
        let secret = ["JWT_SECRET": testSecret]
        #expect(try MeetingsServerConfiguration.resolve([:], environment: secret).logFormat == .text)
        #expect(try MeetingsServerConfiguration.resolve(["LOG_FORMAT": "JSON"], environment: secret).logFormat == .json)
        do {
            _ = try MeetingsServerConfiguration.resolve(["LOG_FORMAT": "xml"], environment: secret)
            Issue.record("xml was accepted")
        } catch {
            #expect(error.message.hasPrefix("LOG_FORMAT"))
        }
        #expect(LogFormat.json.handler(label: "x", level: .notice) is JSONLogHandler)
        #expect(LogFormat.json.handler(label: "x", level: .notice).logLevel == .notice)
    }
}
