import SocketIOProtocol

/// One namespace of a ``SocketIOClient`` (a "socket" in socket.io-client): connect, emit,
/// emit with an ack, handle events. A handle: cheap to copy, usable from any task.
///
/// ```swift
/// let client = try SocketIOClient(url: "http://localhost:3000")
/// let chat = client.socket("/")
/// await chat.on("message", as: Message.self) { message in print(message.text) }
/// try await chat.connect(auth: ["token": "…"])
/// try await chat.emit("message", Message(text: "hi"))
/// let reply: Reply = try await chat.emitWithAck("ask", Question(), as: Reply.self)
/// ```
public struct ClientSocket: Sendable {
    /// Handles an event: its arguments, and the responder when the server asked for an ack.
    public typealias EventHandler = @Sendable ([JSONValue], ClientAckResponder?) async -> Void
    /// Handles any event without a handler of its own: its name, arguments and ack responder.
    public typealias AnyEventHandler = @Sendable (String, [JSONValue], ClientAckResponder?) async -> Void

    /// The client this socket belongs to.
    public let client: SocketIOClient
    /// The namespace, e.g. `/` or `/admin`.
    public let namespace: String

    /// Connects the namespace (and the client, if needed) and waits until the server accepts.
    /// After a lost connection the namespace is re-joined automatically, with the same auth.
    /// - Throws: ``SocketIOClientError/connectRefused(message:data:)`` when the server refuses
    ///   (not retried, as socket.io-client), or ``SocketIOClientError/connectFailed(_:)``.
    public func connect(auth: JSONValue? = nil) async throws {
        try await client.connectNamespace(namespace, auth: { auth })
    }

    /// Connects with an auth payload computed for every (re)connect, e.g. a fresh token.
    public func connect(auth: @escaping @Sendable () async -> JSONValue?) async throws {
        try await client.connectNamespace(namespace, auth: auth)
    }

    /// Leaves the namespace (DISCONNECT); the client disconnects when no namespace is left.
    public func disconnect() async {
        await client.disconnectNamespace(namespace)
    }

    /// The socket id the server gave, while connected.
    public var id: String? {
        get async { await client.socketId(namespace) }
    }

    /// Runs after every connect of this namespace (the first and each after a reconnect), in
    /// order with the events: after those that came before the server's reply (with connection
    /// state recovery, what was missed), before those after it. `recovered` is ``recovered``.
    public func onConnect(_ handler: @escaping @Sendable (_ recovered: Bool) async -> Void) async {
        await client.setConnectHandler(namespace, handler)
    }

    /// Whether the last connect of this namespace got its socket back from the server with the
    /// events missed meanwhile (connection state recovery: the server kept the session, and the
    /// client sent its session id and the last offset it saw).
    public var recovered: Bool {
        get async { await client.isRecovered(namespace) }
    }

    /// Sends an event with these arguments (kept while disconnected, by default).
    public func emit(_ event: String, arguments: [JSONValue]) async throws {
        try await client.emit(namespace, event, arguments: arguments, ackId: nil)
    }

    /// Sends an event with one `Encodable` argument.
    public func emit(_ event: String, _ value: some Encodable) async throws {
        try await emit(event, arguments: [try JSONValue(encoding: value)])
    }

    /// Sends an event and waits for the server's ack.
    /// - Throws: ``SocketIOClientError/ackTimeout(event:timeout:)``, or
    ///   ``SocketIOClientError/disconnected(event:)`` when the connection drops first.
    public func emitWithAck(_ event: String, arguments: [JSONValue], timeout: Duration? = nil) async throws -> [JSONValue] {
        try await client.emitWithAck(namespace, event, arguments: arguments, timeout: timeout)
    }

    /// Sends an event with one `Encodable` argument and decodes the ack's first argument.
    public func emitWithAck<R: Decodable>(
        _ event: String,
        _ value: some Encodable,
        as type: R.Type = R.self,
        timeout: Duration? = nil
    ) async throws -> R {
        let reply = try await emitWithAck(event, arguments: [try JSONValue(encoding: value)], timeout: timeout)
        do {
            return try (reply.first ?? .null).decode(as: R.self)
        } catch {
            throw SocketIOClientError.decodingFailed("\(error)")
        }
    }

    /// Handles an event with its raw arguments (handlers run in order, one at a time).
    public func on(_ event: String, _ handler: @escaping EventHandler) async {
        await client.setHandler(namespace, event, handler)
    }

    /// Handles events that have no handler of their own.
    public func onAny(_ handler: @escaping AnyEventHandler) async {
        await client.setAnyHandler(namespace, handler)
    }

    /// Handles an event whose first argument decodes as `T` (others are dropped).
    public func on<T: Decodable & Sendable>(_ event: String, as type: T.Type, _ handler: @escaping @Sendable (T) async -> Void) async {
        await on(event) { arguments, _ in
            guard let value = try? (arguments.first ?? .null).decode(as: T.self) else { return }
            await handler(value)
        }
    }

    /// The first argument of every `event`, decoded as `T`, as a stream (others are dropped).
    public func events<T: Decodable & Sendable>(_ event: String, as type: T.Type) async -> AsyncStream<T> {
        let (stream, continuation) = AsyncStream<T>.makeStream()
        await on(event, as: T.self) { continuation.yield($0) }
        return stream
    }

    /// The arguments of every `event`, as a stream.
    public func events(_ event: String) async -> AsyncStream<[JSONValue]> {
        let (stream, continuation) = AsyncStream<[JSONValue]>.makeStream()
        await on(event) { arguments, _ in continuation.yield(arguments) }
        return stream
    }
}

/// Answers an event from the server that asked for an ack. Only the first answer is sent.
public struct ClientAckResponder: Sendable {
    let client: SocketIOClient
    let namespace: String
    let id: Int

    /// Sends the ack with these arguments.
    public func send(arguments: [JSONValue]) async {
        await client.sendAck(namespace, id: id, arguments: arguments)
    }

    /// Sends the ack with one `Encodable` argument.
    public func send(_ value: some Encodable) async throws {
        await send(arguments: [try JSONValue(encoding: value)])
    }
}
