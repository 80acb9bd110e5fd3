import Logging
import NIOCore
import NIOWebSocket
import WSClient
import WSCore

/// A WebSocket peer that speaks raw Engine.IO frames, for conformance tests: send frames, await
/// the next one, see the close. Opening fails if the server refuses the upgrade.
public final class RawWebSocket: Sendable {
    /// What the peer saw.
    public enum Event: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        /// The connection closed, with the close code the server sent, if any.
        case closed(WebSocketErrorCode?)
    }

    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
        case close
    }

    /// Frames and the close, in order.
    public let events: Mailbox<Event>
    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, Never>

    private init(events: Mailbox<Event>, commands: AsyncStream<Command>.Continuation, task: Task<Void, Never>) {
        self.events = events
        self.commands = commands
        self.task = task
    }

    /// Opens a WebSocket to `url`; throws if the upgrade is refused or the connection fails.
    /// With `answerPings`, every Engine.IO ping (`2`) is answered (`3`) and not reported.
    public static func connect(_ url: String, maxFrameSize: Int = 1 << 22, answerPings: Bool = false) async throws -> RawWebSocket {
        let (commandStream, commands) = AsyncStream<Command>.makeStream()
        let events = Mailbox<Event>()
        let opened = Mailbox<Result<Void, any Error>>()
        let task = Task {
            do {
                let close = try await WebSocketClient.connect(
                    url: url,
                    configuration: .init(maxFrameSize: maxFrameSize),
                    logger: Logger(label: "raw-websocket")
                ) { inbound, outbound, _ in
                    opened.push(.success(()))
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await command in commandStream {
                                switch command {
                                case .text(let text): try await outbound.write(.text(text))
                                case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                                case .close:
                                    try await outbound.close(.normalClosure, reason: nil)
                                    return
                                }
                            }
                        }
                        for try await message in inbound.messages(maxSize: maxFrameSize) {
                            switch message {
                            case .text("2") where answerPings: try await outbound.write(.text("3"))
                            case .text(let text): events.push(.text(text))
                            case .binary(let buffer): events.push(.binary(Array(buffer.readableBytesView)))
                            }
                        }
                        group.cancelAll()
                    }
                }
                opened.push(.failure(WebSocketRefused()))
                events.push(.closed(close?.closeCode))
            } catch {
                opened.push(.failure(error))
                events.push(.closed(nil))
            }
            events.finish()
        }
        let socket = RawWebSocket(events: events, commands: commands, task: task)
        guard let result = await opened.next(timeout: .seconds(5)) else { throw WebSocketRefused() }
        try result.get()
        return socket
    }

    /// Sends a text frame.
    public func send(_ text: String) { commands.yield(.text(text)) }

    /// Sends a binary frame.
    public func send(binary bytes: [UInt8]) { commands.yield(.binary(bytes)) }

    /// Starts the close handshake.
    public func close() { commands.yield(.close) }

    /// The next event (frame or close), or `nil` if none came within `timeout`.
    public func next(timeout: Duration = .seconds(3)) async -> Event? {
        await events.next(timeout: timeout)
    }

    /// The next frame that is not an Engine.IO ping (`2`), answering nothing.
    public func nextSkippingPings(timeout: Duration = .seconds(3)) async -> Event? {
        while true {
            let event = await next(timeout: timeout)
            if event != .text("2") { return event }
        }
    }

    /// Waits for the connection to close; returns the close event, or `nil` if it stayed open.
    public func awaitClose(timeout: Duration = .seconds(3)) async -> Event? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = await next(timeout: deadline - .now) else { return nil }
            if case .closed = event { return event }
        }
        return nil
    }

    deinit {
        commands.finish()
        task.cancel()
    }
}

/// The server did not complete the WebSocket handshake.
public struct WebSocketRefused: Error {}
