import MeetingsContract
import Foundation
import Logging
import SocketIOProtocol

/// How `meetings-server` writes its log (`--log-format`, `LOG_FORMAT`), to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's `StreamLogHandler`: `2026-11-27T10:00:00+0000 info meetings-server: status=200 [MeetingsServer] request`.
    case text
    /// One JSON object a line (``JSONLogHandler``), for a log collector.
    case json

    /// A handler writing this format to standard error, at `level`.
    public func handler(label: String, level: Logger.Level) -> any LogHandler {
        switch self {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes each log entry as one JSON object on one line, members in this order:
///
/// ```json
/// {"time":"2026-11-27T10:00:00.123Z","level":"info","label":"meetings-server","source":"MeetingsServer","message":"request","metadata":{"ms":"3","status":"200"}}
/// ```
///
/// `time` is UTC with milliseconds; `metadata` (absent when empty) merges the handler's, the
/// metadata provider's and the entry's own (the entry wins), keys sorted, values as strings,
/// arrays and objects; an error attached to the entry adds `error.message` and `error.type`.
///
/// Written here rather than taken from a package: swift-log ships only a text handler, and no
/// JSON log handler is among the packages this project builds with (offline, at fixed
/// versions); one entry is one `write` of one line, so lines from several threads never mix.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    private let clock: @Sendable () -> Timestamp
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - clock: the time of each entry (tests fix it).
    ///   - write: takes each line, with its newline; standard error by default.
    public init(
        label: String,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(line(event) + "\n")
    }

    /// The entry's line, without its newline.
    func line(_ event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var members: [(String, JSONValue)] = [
            ("time", .string(clock().description)),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("source", .string(event.source)),
            ("message", .string(event.message.description)),
        ]
        if !merged.isEmpty { members.append(("metadata", Self.json(merged))) }
        return JSONValue.object(JSONObject(members)).jsonString
    }

    private static func json(_ metadata: Logger.Metadata) -> JSONValue {
        .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let metadata): json(metadata)
        }
    }
}
