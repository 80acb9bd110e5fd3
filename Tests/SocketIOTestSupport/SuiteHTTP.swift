import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 client that behaves as the official protocol suites' one does (node-fetch on
/// Node 20): every request says `Connection: close`, yet the connection goes back to a pool and
/// carries the next request to the same host unless the *response* said `close` (Node's agent
/// keeps connections alive by default since Node 19). A server that closes without saying so
/// makes the next request fail with ``SuiteHTTPError/socketHangUp``, as the suites see it.
///
/// A pooled connection is reused without first checking that it is still open, so that such a
/// server fails every time rather than when the close happens to arrive late.
public actor SuiteHTTP {
    private var idle: [String: [SuiteHTTPConnection]] = [:]

    public init() {}

    /// Sends a request, on a pooled connection to the host if there is one.
    public func request(
        _ method: String,
        _ url: String,
        body: String? = nil,
        headers: [(String, String)] = [],
        timeout: Duration = .seconds(5)
    ) async throws -> RawResponse {
        let target = try SuiteURL(url)
        let connection: SuiteHTTPConnection
        if let pooled = idle[target.authority]?.popLast() {
            connection = pooled
        } else {
            connection = try await SuiteHTTPConnection.open(host: target.host, port: target.port)
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target.pathAndQuery)
        head.headers.add(name: "Host", value: target.authority)
        head.headers.add(name: "Accept", value: "*/*")
        head.headers.add(name: "User-Agent", value: "node-fetch")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.replaceOrAdd(name: name, value: value) }
        var bytes: ByteBuffer?
        if let body {
            bytes = ByteBuffer(string: body)
            head.headers.add(name: "Content-Length", value: String(body.utf8.count))
            if !head.headers.contains(name: "Content-Type") {
                head.headers.add(name: "Content-Type", value: "text/plain;charset=UTF-8")
            }
        }
        let response: RawResponse
        do {
            response = try await connection.send(head, body: bytes, timeout: timeout)
        } catch {
            connection.close()
            throw error
        }
        let closes = response.header("Connection").map { $0.lowercased().contains("close") } ?? false
        if closes {
            connection.close()
        } else {
            idle[target.authority, default: []].append(connection)
        }
        return response
    }

    /// GET.
    public func get(_ url: String, timeout: Duration = .seconds(5)) async throws -> RawResponse {
        try await request("GET", url, timeout: timeout)
    }

    /// POST with a text body.
    public func post(_ url: String, body: String, timeout: Duration = .seconds(5)) async throws -> RawResponse {
        try await request("POST", url, body: body, timeout: timeout)
    }

    /// Closes every pooled connection.
    public func reset() {
        for connections in idle.values { for connection in connections { connection.close() } }
        idle.removeAll()
    }
}

/// What the suite's client reports when a request cannot be answered.
public enum SuiteHTTPError: Error, Equatable {
    /// The connection closed before the response (Node: "socket hang up").
    case socketHangUp
    /// No response within the timeout.
    case timedOut
    /// The URL is not `http://host:port/path`.
    case badURL(String)
}

/// `http://host:port/path?query`, split.
struct SuiteURL {
    var host: String
    var port: Int
    var pathAndQuery: String
    var authority: String { "\(host):\(port)" }

    init(_ url: String) throws {
        let scheme = url.hasPrefix("ws://") ? "ws://" : "http://"
        guard url.hasPrefix(scheme) else { throw SuiteHTTPError.badURL(url) }
        let rest = url.dropFirst(scheme.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        pathAndQuery = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
            throw SuiteHTTPError.badURL(url)
        }
        host = String(authority[..<colon])
        self.port = port
    }
}

/// One kept-alive connection of ``SuiteHTTP``.
final class SuiteHTTPConnection: Sendable {
    private let channel: any Channel
    private let collector: NIOLoopBound<ResponseCollector>

    private init(channel: any Channel, collector: NIOLoopBound<ResponseCollector>) {
        self.channel = channel
        self.collector = collector
    }

    static func open(host: String, port: Int) async throws -> SuiteHTTPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.pipeline.handler(type: ResponseCollector.self).map {
            NIOLoopBound($0, eventLoop: channel.eventLoop)
        }.get()
        return SuiteHTTPConnection(channel: channel, collector: collector)
    }

    func send(_ head: HTTPRequestHead, body: ByteBuffer?, timeout: Duration) async throws -> RawResponse {
        let milliseconds = Int64(timeout.components.seconds) * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        return try await channel.eventLoop.flatSubmit { [collector, channel] in
            let promise = channel.eventLoop.makePromise(of: RawResponse.self)
            let handler = collector.value
            handler.expect(promise)
            handler.send(head, body: body)
            let timer = channel.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) { collector.value.fail(SuiteHTTPError.timedOut) }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            return promise.futureResult
        }.get()
    }

    func close() { channel.close(promise: nil) }
}

/// Writes a request and collects its response, on the connection's event loop.
private final class ResponseCollector: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private var pending: EventLoopPromise<RawResponse>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var open = true

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func expect(_ promise: EventLoopPromise<RawResponse>) {
        pending = promise
        head = nil
        body.clear()
        if !open { fail(SuiteHTTPError.socketHangUp) }
    }

    func send(_ head: HTTPRequestHead, body: ByteBuffer?) {
        guard let context, open else { return }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func fail(_ error: any Error) { pending.take()?.fail(error) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
        case .body(var bytes):
            body.writeBuffer(&bytes)
        case .end:
            guard let head else { return }
            pending.take()?.succeed(
                RawResponse(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: String(buffer: body))
            )
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        open = false
        fail(SuiteHTTPError.socketHangUp)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SuiteHTTPError.socketHangUp)
        context.close(promise: nil)
    }
}
