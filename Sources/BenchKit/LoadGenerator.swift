import Histogram
import NIOCore
import NIOPosix

/// Where the generator connects.
public struct BenchTarget: Sendable {
    public var host: String
    public var port: Int
    public var path = "/socket.io/?EIO=4&transport=websocket"

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The generator's state, owned by its one event loop: every client handler, timer and
/// counter runs there, so nothing is locked and nothing is allocated per delivery.
final class LoadGenerator {
    let eventLoop: any EventLoop
    let target: BenchTarget
    private let tokens: [String]
    private var roomSize = 10

    // Connections.
    var channels: [(any Channel)?] = []
    private var connectStarted: [Int] = []
    /// Each client: connecting, joined, or gone (failed or closed).
    private var status: [Status] = []
    private var roomMembers: [Int] = []
    private var roomPublisher: [Int?] = []
    private var storm: Storm?
    private var webinar: Webinar?
    private(set) var lastFailure: String?
    private(set) var failures = 0

    // Deliveries.
    private static let ringSize = 1 << 18
    private var ring = [Broadcast](repeating: Broadcast(), count: LoadGenerator.ringSize)
    private(set) var endToEnd = LoadGenerator.histogram()
    private(set) var serverToClient = LoadGenerator.histogram()
    private(set) var completion = LoadGenerator.histogram()
    private(set) var delivered = 0
    private(set) var lastDelivery = 0
    private var nextSequence = 0
    private var publishing: Publishing?
    private let padding = String(repeating: "x", count: 72)

    enum Status { case connecting, joined, gone }

    struct Broadcast {
        var sequence = -1
        var sent = 0
        var expected: Int32 = 0
        var received: Int32 = 0
    }

    private struct Storm {
        var first: Int
        var end: Int
        var next: Int
        var inFlight: Int
        var done = 0
        var failed = 0
        var latency = LoadGenerator.histogram()
        let started: Int
        let promise: EventLoopPromise<ConnectReport>
    }

    private struct Webinar {
        var expected: Int
        var joined = 0
        let promise: EventLoopPromise<Int>
    }

    private struct Publishing {
        var publishers: [(channel: any Channel, room: String, members: Int)]
        var perSecond: Double
        var started: Int
        var sent = 0
        var nextPublisher = 0
        var task: RepeatedTask?
    }

    init(eventLoop: any EventLoop, target: BenchTarget, tokens: [String]) {
        self.eventLoop = eventLoop
        self.target = target
        self.tokens = tokens
    }

    static func histogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    }

    func token(_ index: Int) -> String { tokens[index % tokens.count] }
    func room(of index: Int) -> String { "r\(index / roomSize)" }
    var connected: Int { status.count { $0 == .joined } }
    private func isJoined(_ index: Int) -> Bool { index < status.count && status[index] == .joined }

    // MARK: Connect storm

    /// Opens clients up to `total` (each: TCP, WebSocket upgrade, CONNECT with its token, join
    /// of room `r<index / roomSize>`), `inFlight` at a time, and reports rate and latency.
    func connect(total: Int, roomSize: Int, inFlight: Int, timeout: TimeAmount) -> EventLoopFuture<ConnectReport> {
        self.roomSize = roomSize
        let first = channels.count
        let promise = eventLoop.makePromise(of: ConnectReport.self)
        guard total > first else {
            promise.succeed(ConnectReport(clients: 0, failures: 0, seconds: 0, latency: Self.histogram()))
            return promise.futureResult
        }
        channels.append(contentsOf: repeatElement(nil, count: total - first))
        connectStarted.append(contentsOf: repeatElement(0, count: total - first))
        status.append(contentsOf: repeatElement(.connecting, count: total - first))
        let rooms = (total + roomSize - 1) / roomSize
        if roomMembers.count < rooms {
            roomMembers.append(contentsOf: repeatElement(0, count: rooms - roomMembers.count))
            roomPublisher.append(contentsOf: repeatElement(nil, count: rooms - roomPublisher.count))
        }
        storm = Storm(first: first, end: total, next: first, inFlight: 0, started: MonotonicClock.microseconds(), promise: promise)
        for _ in 0..<min(inFlight, total - first) { startNextClient() }
        let generator = NIOLoopBound(self, eventLoop: eventLoop)
        let deadline = eventLoop.scheduleTask(in: timeout) { generator.value.finishStorm() }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        return promise.futureResult
    }

    private func startNextClient() {
        guard var current = storm, current.next < current.end else { return }
        let index = current.next
        current.next += 1
        current.inFlight += 1
        storm = current
        connectStarted[index] = MonotonicClock.microseconds()
        let generator = NIOLoopBound(self, eventLoop: eventLoop)
        var bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(BenchClient(index: index, generator: generator.value))
                }
            }
        // About 28k ephemeral ports per source address: spread large runs over 127.0.0.x.
        if target.host == "127.0.0.1", index >= 20_000, let source = try? SocketAddress(ipAddress: "127.0.0.\(1 + index / 20_000)", port: 0) {
            bootstrap = bootstrap.bind(to: source)
        }
        bootstrap.connect(host: target.host, port: target.port).whenComplete { result in
            switch result {
            case .success(let channel): generator.value.channels[index] = channel
            case .failure(let error): generator.value.failed(index, reason: "connect: \(error)")
            }
        }
    }

    func joined(_ index: Int) {
        guard index < status.count, status[index] == .connecting else { return }
        status[index] = .joined
        let room = index / roomSize
        roomMembers[room] += 1
        if roomPublisher[room] == nil { roomPublisher[room] = index }
        guard var current = storm, index >= current.first, index < current.end else { return }
        current.done += 1
        current.inFlight -= 1
        _ = current.latency.record(UInt64(max(1, MonotonicClock.microseconds() - connectStarted[index])))
        storm = current
        advanceStorm()
    }

    func failed(_ index: Int, reason: String) {
        guard index < status.count, status[index] == .connecting else { return }
        status[index] = .gone
        failures += 1
        lastFailure = reason
        guard var current = storm, index >= current.first, index < current.end else { return }
        current.failed += 1
        current.inFlight -= 1
        storm = current
        advanceStorm()
    }

    func clientClosed(_ index: Int) {
        guard index < status.count else { return }
        channels[index] = nil
        switch status[index] {
        case .connecting: failed(index, reason: "closed before joining")
        case .joined:
            status[index] = .gone
            roomMembers[index / roomSize] -= 1
        case .gone: break
        }
    }

    private func advanceStorm() {
        guard let current = storm else { return }
        if current.done + current.failed >= current.end - current.first {
            finishStorm()
        } else if current.next < current.end {
            startNextClient()
        }
    }

    private func finishStorm() {
        guard let current = storm else { return }
        storm = nil
        let seconds = Double(MonotonicClock.microseconds() - current.started) / 1e6
        let requested = current.end - current.first
        current.promise.succeed(ConnectReport(clients: requested, failures: requested - current.done, seconds: seconds, latency: current.latency))
    }

    // MARK: The webinar room

    /// Asks the first `count` clients to also join room `webinar`; completes with how many did.
    func joinWebinar(count: Int, timeout: TimeAmount) -> EventLoopFuture<Int> {
        let promise = eventLoop.makePromise(of: Int.self)
        let members = (0..<min(count, channels.count)).compactMap { index in isJoined(index) ? channels[index] : nil }
        webinar = Webinar(expected: members.count, promise: promise)
        for channel in members {
            channel.writeAndFlush(WebSocketWire.frame(#"421["join","webinar"]"#, masked: true, allocator: channel.allocator), promise: nil)
        }
        let generator = NIOLoopBound(self, eventLoop: eventLoop)
        let deadline = eventLoop.scheduleTask(in: timeout) { generator.value.finishWebinar() }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        if members.isEmpty { finishWebinar() }
        return promise.futureResult
    }

    func joinedWebinar(_ index: Int) {
        guard var current = webinar else { return }
        current.joined += 1
        webinar = current
        if current.joined >= current.expected { finishWebinar() }
    }

    private func finishWebinar() {
        guard let current = webinar else { return }
        webinar = nil
        current.promise.succeed(current.joined)
    }

    // MARK: Publishing

    /// Starts an open-loop publisher: `perSecond` broadcasts a second, spread over `publishers`
    /// (the first member of each room, or one client of the webinar), each stamped with `t0`
    /// and a sequence number. Clears the delivery histograms; returns the first sequence number.
    func startPublishing(webinar webinarMembers: Int?, perSecond: Double) -> Int {
        var publishers: [(channel: any Channel, room: String, members: Int)] = []
        if let webinarMembers {
            if let channel = channels.first(where: { $0 != nil }) ?? nil { publishers.append((channel, "webinar", webinarMembers)) }
        } else {
            for (room, publisher) in roomPublisher.enumerated() {
                guard let publisher, isJoined(publisher), let channel = channels[publisher] else { continue }
                publishers.append((channel, "r\(room)", roomMembers[room]))
            }
        }
        endToEnd.reset()
        serverToClient.reset()
        completion.reset()
        delivered = 0
        lastDelivery = 0
        var state = Publishing(publishers: publishers, perSecond: perSecond, started: MonotonicClock.microseconds())
        let generator = NIOLoopBound(self, eventLoop: eventLoop)
        state.task = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in generator.value.publishDue() }
        publishing = state
        return nextSequence
    }

    /// Stops publishing; returns the number of broadcasts sent and the end of their sequence range.
    func stopPublishing() -> (sent: Int, endSequence: Int) {
        publishing?.task?.cancel()
        let sent = publishing?.sent ?? 0
        publishing = nil
        return (sent, nextSequence)
    }

    private func publishDue() {
        guard var state = publishing, !state.publishers.isEmpty else { return }
        let now = MonotonicClock.microseconds()
        let due = Int(Double(now - state.started) * state.perSecond / 1e6) - state.sent
        // Open loop, but a generator that fell behind catches up in bounded bursts.
        let count = min(due, 2_000)
        guard count > 0 else { return }
        var touched: [ObjectIdentifier: any Channel] = [:]
        for _ in 0..<count {
            let publisher = state.publishers[state.nextPublisher]
            state.nextPublisher = (state.nextPublisher + 1) % state.publishers.count
            let sequence = nextSequence
            nextSequence += 1
            ring[sequence & (Self.ringSize - 1)] = Broadcast(sequence: sequence, sent: now, expected: Int32(publisher.members), received: 0)
            let text = #"42["bcast","\#(publisher.room)",{"t0":\#(now),"s":\#(sequence),"pad":"\#(padding)"}]"#
            publisher.channel.write(WebSocketWire.frame(text, masked: true, allocator: publisher.channel.allocator), promise: nil)
            touched[ObjectIdentifier(publisher.channel)] = publisher.channel
        }
        for channel in touched.values { channel.flush() }
        state.sent += count
        publishing = state
    }

    func delivered(_ stamp: DeliveryStamp) {
        let now = MonotonicClock.microseconds()
        delivered += 1
        lastDelivery = now
        _ = endToEnd.record(UInt64(max(1, now - stamp.sent)))
        if let emitted = stamp.emitted { _ = serverToClient.record(UInt64(max(1, now - emitted))) }
        let slot = stamp.sequence & (Self.ringSize - 1)
        guard ring[slot].sequence == stamp.sequence else { return }
        ring[slot].received += 1
        if ring[slot].received == ring[slot].expected {
            _ = completion.record(UInt64(max(1, now - ring[slot].sent)))
        }
    }

    /// Deliveries expected and received for the broadcasts `range`.
    func tally(_ range: Range<Int>) -> (expected: Int, received: Int) {
        var expected = 0
        var received = 0
        for sequence in range {
            let record = ring[sequence & (Self.ringSize - 1)]
            guard record.sequence == sequence else { continue }
            expected += Int(record.expected)
            received += Int(record.received)
        }
        return (expected, received)
    }

    /// Closes every client.
    func closeAll() -> EventLoopFuture<Void> {
        let futures = channels.compactMap { $0?.close() }
        return EventLoopFuture.whenAllComplete(futures, on: eventLoop).map { _ in }
    }
}
