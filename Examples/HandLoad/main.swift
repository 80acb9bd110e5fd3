// meetings-hand-load: how many hand raise/lower actions per second the meetings server sustains,
// each fanned out to every listening socket in the room.
//
//   swift run -c release meetings-hand-load [--users 100] [--listeners 100] [--seconds 10]
//       [--url http://127.0.0.1:3002 --secret $JWT_SECRET [--listen-url http://127.0.0.1:3003]] [--json FILE]
//
// Without --url it starts the server in this process (SQLite file in a temporary folder, rate
// limit off). --users users alternate POST hand/raise and hand/lower as fast as the server
// answers; --listeners Socket.IO clients (WebSocket) have joined the meeting's room and count
// what they receive. It prints the actions per second, the REST latency, the deliveries, and the
// delivery latency (from each event's server time to a listener having it). --listen-url puts
// the listeners on another server node than the one the REST calls go to.
import MeetingsContract
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MeetingsServer
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SocketIOClient
import SocketIOProtocol
import Synchronization

struct Options {
    var users = 100
    var listeners = 100
    var seconds = 10
    var url: String?
    var listenURL: String?
    var secret: String?
    var json: String?

    init(_ arguments: [String]) {
        var index = 1
        func value() -> String {
            index += 1
            guard index < arguments.count else { Options.usage() }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--users": users = Options.number(value())
            case "--listeners": listeners = Options.number(value())
            case "--seconds": seconds = Options.number(value())
            case "--url": url = value()
            case "--listen-url": listenURL = value()
            case "--secret": secret = value()
            case "--json": json = value()
            default: Options.usage()
            }
            index += 1
        }
    }

    static func number(_ text: String) -> Int {
        guard let value = Int(text), value > 0 else { usage() }
        return value
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: meetings-hand-load [--users N] [--listeners N] [--seconds S] [--url URL --secret JWT_SECRET [--listen-url URL]] [--json FILE]\n".utf8))
        exit(2)
    }
}

final class Counters: Sendable {
    let actions = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let delivered = Atomic<Int>(0)
    let latencies = Mutex<[Double]>([])
    /// Milliseconds from an event's `at` (server time of the change) to a listener having it.
    let deliveries = Mutex<[Int64]>([])
}

func run(options: Options, url: String, listenURL: String, tokens: AccessTokens) async throws {
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
        connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: options.users)
    ))

    func post(_ path: String, as user: String, body: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(tokens.sign(userId: user))")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    let (status, created) = try await post("/api/meetings", as: "host", body: #"{"title":"hand load"}"#)
    guard status == 201, let id = try JSONValue(parsing: created)["id"]?.stringValue else {
        throw ConfigurationError("could not create a meeting (\(status)): \(created)")
    }
    for index in 0..<options.users { _ = try await post("/api/meetings/\(id)/join", as: "user\(index)") }

    let counters = Counters()
    var clients: [SocketIOClient] = []
    for index in 0..<options.listeners {
        var configuration = SocketIOClientConfiguration()
        configuration.transport = .websocket
        let client = try SocketIOClient(url: listenURL, configuration: configuration)
        let socket = client.socket()
        await socket.onAny { event, arguments, _ in
            guard event == "meeting:hand-raised" || event == "meeting:hand-lowered" else { return }
            counters.delivered.add(1, ordering: .relaxed)
            if let at = arguments.first?["at"]?.stringValue.flatMap(Timestamp.init(iso8601:)) {
                let latency = Timestamp.now().milliseconds - at.milliseconds
                counters.deliveries.withLock { $0.append(latency) }
            }
        }
        try await socket.connect(auth: ["token": .string(tokens.sign(userId: "listener\(index)"))])
        _ = try await socket.emitWithAck("meeting:join", arguments: [["meetingId": .string(id)]], timeout: .seconds(10))
        clients.append(client)
    }

    print("meeting \(id): \(options.users) users alternating raise/lower through \(url), \(options.listeners) listening sockets on \(listenURL), \(options.seconds) s")
    let deadline = ContinuousClock.now + .seconds(options.seconds)
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<options.users {
            group.addTask {
                var raise = true
                var mine: [Double] = []
                while ContinuousClock.now < deadline {
                    let sent = ContinuousClock.now
                    let (status, _) = try await post("/api/meetings/\(id)/hand/\(raise ? "raise" : "lower")", as: "user\(index)")
                    let elapsed = ContinuousClock.now - sent
                    mine.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                    if status == 200 { counters.actions.add(1, ordering: .relaxed) } else { counters.failures.add(1, ordering: .relaxed) }
                    raise.toggle()
                }
                let recorded = mine
                counters.latencies.withLock { $0 += recorded }
            }
        }
        try await group.waitForAll()
    }
    let duration = ContinuousClock.now - start
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    let actions = counters.actions.load(ordering: .relaxed)
    // Let the last deliveries arrive.
    let expected = actions * options.listeners
    let settle = ContinuousClock.now + .seconds(10)
    while counters.delivered.load(ordering: .relaxed) < expected, ContinuousClock.now < settle {
        try await Task.sleep(for: .milliseconds(50))
    }
    let latencies = counters.latencies.withLock { $0.sorted() }
    func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    let delivered = counters.delivered.load(ordering: .relaxed)
    let eventLatencies = counters.deliveries.withLock { $0.sorted() }
    func eventPercentile(_ p: Double) -> Int64 { eventLatencies.isEmpty ? 0 : eventLatencies[min(eventLatencies.count - 1, Int(Double(eventLatencies.count) * p))] }
    print(String(format: "actions: %d in %.1f s = %.0f actions/s (%d refused)", actions, seconds, Double(actions) / seconds, counters.failures.load(ordering: .relaxed)))
    print(String(format: "REST latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(0.5), percentile(0.99), latencies.last ?? 0))
    print(String(format: "deliveries: %d of %d (%.2f%%) = %.0f events/s to listeners", delivered, expected, expected == 0 ? 100 : 100 * Double(delivered) / Double(expected), Double(delivered) / seconds))
    print("delivery latency (event's server time to a listener having it): p50 \(eventPercentile(0.5)) ms, p99 \(eventPercentile(0.99)) ms, max \(eventLatencies.last ?? 0) ms")
    if let path = options.json {
        let result = HandLoadResult(
            users: options.users, listeners: options.listeners, seconds: seconds, actions: actions,
            refused: counters.failures.load(ordering: .relaxed), actionsPerSecond: Double(actions) / seconds,
            rest: .init(p50: percentile(0.5), p99: percentile(0.99), max: latencies.last ?? 0),
            expected: expected, delivered: delivered, deliveredPerSecond: Double(delivered) / seconds,
            delivery: .init(p50: Double(eventPercentile(0.5)), p99: Double(eventPercentile(0.99)), max: Double(eventLatencies.last ?? 0))
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(result).write(to: URL(fileURLWithPath: path))
    }
    for client in clients { await client.disconnect() }
    try await http.shutdown()
}

/// `--json`: the figures above, for `scripts/bench`.
struct HandLoadResult: Encodable {
    struct Latency: Encodable {
        var p50: Double
        var p99: Double
        var max: Double
    }
    var users, listeners: Int
    var seconds: Double
    var actions, refused: Int
    var actionsPerSecond: Double
    /// REST round trip of each action, ms.
    var rest: Latency
    var expected, delivered: Int
    var deliveredPerSecond: Double
    /// From the event's server time (`at`, ms) to a listener having it, ms.
    var delivery: Latency
}

let options = Options(CommandLine.arguments)
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}
if let url = options.url {
    guard let secret = options.secret ?? ProcessInfo.processInfo.environment["JWT_SECRET"] else {
        FileHandle.standardError.write(Data("--url needs the server's secret: --secret or JWT_SECRET\n".utf8))
        exit(2)
    }
    try await run(options: options, url: url, listenURL: options.listenURL ?? url, tokens: try AccessTokens(secret: secret))
} else {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hand-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = MeetingsServerConfiguration(jwtSecret: (0..<4).map { _ in UUID().uuidString }.joined())
    configuration.port = 0
    configuration.rateLimitPerSecond = 0
    configuration.logLevel = .warning
    configuration.databaseURL = folder.appendingPathComponent("meetings.sqlite").path
    let server = try await MeetingsServerApp(configuration: configuration)
    let ports = AsyncStream<Int>.makeStream()
    let application = server.application { port in ports.continuation.yield(port) }
    let group = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "hand-load"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        print("server in this process on 127.0.0.1:\(port), database \(configuration.databaseURL)")
        try await run(options: options, url: "http://127.0.0.1:\(port)", listenURL: "http://127.0.0.1:\(port)", tokens: server.tokens)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
