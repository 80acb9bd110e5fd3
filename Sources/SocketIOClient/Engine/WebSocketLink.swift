import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import WSClient
import WSCore

/// How a WebSocket ended: a clean close, or a failure (an error, or a close code such as 1009).
enum WebSocketEnd: Sendable {
    case closed
    case failed(String)
}

/// One WebSocket of a client connection (the open transport, or a probe during an upgrade):
/// commands in, messages out through callbacks run on its reading task.
final class WebSocketLink: Sendable {
    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
        case close
    }

    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, Never>

    /// Opens a WebSocket to `url`. `onOpen` runs once connected, `onText`/`onBinary` for each
    /// message, `onEnd` once when it is over (with the error, if any).
    init(
        url: String,
        headers: [String: String],
        maxMessage: Int,
        logger: Logger,
        onOpen: @escaping @Sendable () -> Void,
        onMessage: @escaping @Sendable (WebSocketMessage) async -> Void,
        onEnd: @escaping @Sendable (WebSocketEnd) -> Void
    ) {
        let (stream, commands) = AsyncStream<Command>.makeStream()
        self.commands = commands
        var fields = HTTPFields()
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: maxMessage,
            additionalHeaders: fields,
            closeTimeout: .seconds(2)
        )
        self.task = Task {
            do {
                let closeFrame = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    onOpen()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await command in stream {
                                switch command {
                                case .text(let text): try await outbound.write(.text(text))
                                case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                                case .close:
                                    try await outbound.close(.normalClosure, reason: nil)
                                    return
                                }
                            }
                        }
                        for try await message in inbound.messages(maxSize: maxMessage) {
                            await onMessage(message)
                        }
                        group.cancelAll()
                    }
                }
                switch closeFrame?.closeCode {
                case .normalClosure?, .goingAway?: onEnd(.closed)
                case let code?: onEnd(.failed("closed with code \(code)"))
                // No close handshake: the connection broke, or a frame was rejected (e.g. too large).
                case nil: onEnd(.failed("the connection ended without a close frame"))
                }
            } catch {
                onEnd(.failed("\(error)"))
            }
        }
    }

    func send(_ command: Command) { commands.yield(command) }

    /// Closes with a close frame, then stops.
    func close() {
        commands.yield(.close)
        commands.finish()
    }

    /// Drops the connection at once.
    func cancel() {
        commands.finish()
        task.cancel()
    }
}
