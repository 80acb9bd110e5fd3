import SocketIOProtocol
import Synchronization

/// Answers an event that asked for an ack. Only the first answer is sent.
///
/// ```swift
/// namespace.on("echo") { socket, arguments, ack in ack?.send(arguments: arguments) }
/// ```
public final class AckResponder: Sendable {
    private let id: Int
    private let namespace: String
    private let engine: EngineConnection
    private let answered = Mutex(false)

    init(id: Int, namespace: String, engine: EngineConnection) {
        self.id = id
        self.namespace = namespace
        self.engine = engine
    }

    /// Sends the ack with these arguments (binary values become attachments).
    public func send(arguments: [JSONValue]) {
        let first = answered.withLock { answered in
            defer { answered = true }
            return !answered
        }
        guard first else { return }
        let packet = SocketPacket.ack(id, arguments, namespace: namespace)
        engine.send(OutboundFrame.frames(of: packet))
    }

    /// Sends the ack with one `Encodable` argument.
    public func send(_ value: some Encodable) throws {
        send(arguments: [try JSONValue(encoding: value)])
    }
}
