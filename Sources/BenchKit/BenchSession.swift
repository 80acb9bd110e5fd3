import Foundation
import NIOCore
import NIOPosix

/// How much load, in which steps.
public struct BenchPlan: Sendable {
    public var clients = 10_000
    public var firstStorm = 1_000
    public var inFlight = 100
    public var roomSize = 10
    /// Deliveries per second for the rooms-of-`roomSize` steps.
    public var roomRates = [10_000, 30_000, 45_000, 60_000, 100_000, 150_000, 200_000]
    public var webinarSize = 1_000
    /// Broadcasts per second to the webinar room.
    public var webinarRates = [10, 30, 100]
    public var stepSeconds = 5.0
    public var settleSeconds = 2.0
    public var idleSeconds = 5.0
    /// The generator's ceiling in deliveries per second, when measured.
    public var ceiling: Double?
    /// The CPUs the server and the generator are pinned to, for the clean-run check.
    public var serverCPU: Int?
    public var generatorCPU: Int?

    public init() {}
}

/// A generator run against one server: its own event loop thread, its clients, and the
/// scenarios that step the load. The scenarios run here; every client runs on the loop.
public final class BenchSession: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let generator: NIOLoopBound<LoadGenerator>
    private let serverPid: Int32?
    private let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - tokens: the CONNECT tokens, used in turn by the clients.
    ///   - serverPid: the server's process, for its CPU time and memory.
    public init(target: BenchTarget, tokens: [String], serverPid: Int32?, log: @escaping @Sendable (String) -> Void = { _ in }) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        // The generator is made on its loop: only that loop ever touches it.
        generator = try! loop.submit { NIOLoopBound(LoadGenerator(eventLoop: loop, target: target, tokens: tokens), eventLoop: loop) }.wait()
        self.serverPid = serverPid
        self.log = log
    }

    private func onLoop<T: Sendable>(_ body: @escaping @Sendable (LoadGenerator) -> T) async throws -> T {
        let generator = self.generator
        return try await generator.eventLoop.submit { body(generator.value) }.get()
    }

    private func onLoop<T: Sendable>(_ body: @escaping @Sendable (LoadGenerator) -> EventLoopFuture<T>) async throws -> T {
        let generator = self.generator
        return try await generator.eventLoop.flatSubmit { body(generator.value) }.get()
    }

    // MARK: Scenarios

    /// Connects clients up to `total` and reports the storm.
    public func connect(upTo total: Int, plan: BenchPlan) async throws -> ConnectResult {
        let already = try await onLoop { $0.connected }
        let report: ConnectReport = try await onLoop { $0.connect(total: total, roomSize: plan.roomSize, inFlight: plan.inFlight, timeout: .seconds(120)) }
        let lastFailure: String? = try await onLoop { $0.lastFailure }
        let result = ConnectResult(
            clients: report.clients, alreadyConnected: already, inFlight: plan.inFlight, failures: report.failures,
            perSecond: report.seconds > 0 ? Double(report.clients - report.failures) / report.seconds : 0,
            latency: LatencySummary(report.latency), lastFailure: report.failures > 0 ? lastFailure : nil
        )
        log(String(format: "connect %d → %d: %.0f/s, p50 %.1f ms, p99 %.1f ms, %d failed", already, total, result.perSecond, result.latency.p50, result.latency.p99, result.failures))
        return result
    }

    /// The whole suite: storms to 1k and to `plan.clients`, memory, idle heartbeats, rooms of
    /// `plan.roomSize` stepping the rate, and the webinar room.
    public func runSuite(label: String, plan: BenchPlan) async throws -> ServerResult {
        var result = ServerResult(label: label)
        let before = serverSample()
        result.connect.append(try await connect(upTo: min(plan.firstStorm, plan.clients), plan: plan))
        try await Task.sleep(for: .seconds(plan.settleSeconds))
        let at1k = serverSample()
        if plan.clients > plan.firstStorm {
            result.connect.append(try await connect(upTo: plan.clients, plan: plan))
        }
        try await Task.sleep(for: .seconds(plan.settleSeconds))
        let atAll = serverSample()
        let connections = try await onLoop { $0.connected }
        if let before, let at1k, let atAll, connections > plan.firstStorm {
            result.memory = MemoryResult(
                rssBeforeKiB: before.rssKiB, rssAt1kKiB: at1k.rssKiB, rssAtAllKiB: atAll.rssKiB, connections: connections,
                marginalBytesPerConnection: (atAll.rssKiB - at1k.rssKiB) * 1024 / (connections - plan.firstStorm),
                bytesPerConnection: (atAll.rssKiB - before.rssKiB) * 1024 / connections
            )
            log("memory: \(result.memory!.marginalBytesPerConnection) B marginal per connection (1k → \(connections)), \(result.memory!.bytesPerConnection) B per connection in all")
        }
        result.idle = try await idle(seconds: plan.idleSeconds, connections: connections)
        for rate in plan.roomRates {
            let step = try await step(deliveriesPerSecond: rate, webinar: nil, plan: plan)
            result.rooms.append(step)
            if Self.saturated(step) {
                result.notes.append("rooms of \(plan.roomSize): stopped after \(rate)/s, saturated")
                break
            }
        }
        let webinar: Int = try await onLoop { $0.joinWebinar(count: plan.webinarSize, timeout: .seconds(30)) }
        if webinar < plan.webinarSize { result.notes.append("only \(webinar) of \(plan.webinarSize) clients joined the webinar room") }
        try await settle()
        for rate in plan.webinarRates {
            let step = try await step(deliveriesPerSecond: rate * webinar, webinar: webinar, plan: plan)
            result.webinar.append(step)
            if Self.saturated(step) {
                result.notes.append("webinar: stopped after \(rate) broadcasts/s, saturated")
                break
            }
        }
        return result
    }

    /// The ceiling of the measuring setup: rooms of `plan.roomSize` at `offered` deliveries
    /// per second against a server that does nothing but relay (``NullBroadcastServer``).
    public func measureCeiling(plan: BenchPlan, offered: Int) async throws -> StepResult {
        _ = try await connect(upTo: plan.clients, plan: plan)
        try await Task.sleep(for: .seconds(plan.settleSeconds))
        return try await step(deliveriesPerSecond: offered, webinar: nil, plan: plan)
    }

    static func saturated(_ step: StepResult) -> Bool {
        step.deliveredRatio < 0.95 || step.endToEnd.p99 > 1000
    }

    private func idle(seconds: Double, connections: Int) async throws -> IdleResult? {
        guard let start = serverSample() else { return nil }
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(seconds))
        guard let end = serverSample() else { return nil }
        let wall = (ContinuousClock.now - started).seconds
        let result = IdleResult(connections: connections, seconds: wall, serverCPUPercent: Self.round(100 * (end.cpuSeconds - start.cpuSeconds) / wall))
        log(String(format: "idle %d connections: server CPU %.2f%%", connections, result.serverCPUPercent))
        return result
    }

    /// One step: publish for `plan.stepSeconds`, wait for the deliveries, measure.
    func step(deliveriesPerSecond rate: Int, webinar: Int?, plan: BenchPlan) async throws -> StepResult {
        let members = webinar ?? plan.roomSize
        let perSecond = Double(rate) / Double(members)
        let serverBefore = serverSample()
        let busyBefore = ProcessStats.busySecondsPerCPU()
        let generatorBefore = ProcessStats.ownCPUSeconds()
        let started = MonotonicClock.microseconds()
        let first: Int = try await onLoop { $0.startPublishing(webinar: webinar, perSecond: perSecond) }
        try await Task.sleep(for: .seconds(plan.stepSeconds))
        let (sent, end): (Int, Int) = try await onLoop { $0.stopPublishing() }
        let window = Double(MonotonicClock.microseconds() - started) / 1e6
        // Drain: until every delivery is in, or nothing arrived for half a second (at most 10 s).
        var lastCount = -1
        var quietSince = ContinuousClock.now
        let drainStart = ContinuousClock.now
        while ContinuousClock.now - drainStart < .seconds(10) {
            let (expected, received): (Int, Int) = try await onLoop { $0.tally(first..<end) }
            if received >= expected { break }
            if received != lastCount {
                lastCount = received
                quietSince = .now
            } else if ContinuousClock.now - quietSince > .milliseconds(500) {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let wall = Double(MonotonicClock.microseconds() - started) / 1e6
        let serverAfter = serverSample()
        let busyAfter = ProcessStats.busySecondsPerCPU()
        let generatorCPU = ProcessStats.ownCPUSeconds() - generatorBefore
        let measured: (LatencySummary, LatencySummary, LatencySummary, Int, Int, Int) = try await onLoop { generator in
            let (expected, received) = generator.tally(first..<end)
            return (LatencySummary(generator.endToEnd), LatencySummary(generator.serverToClient), LatencySummary(generator.completion), expected, received, generator.lastDelivery)
        }
        let (endToEnd, serverToClient, completion, expected, received, lastDelivery) = measured
        let deliveryWindow = max(window, Double(lastDelivery - started) / 1e6)
        let deliveredPerSecond = Double(received) / deliveryWindow
        var serverCPU: Double?
        var clean: Bool?
        if let serverBefore, let serverAfter {
            serverCPU = serverAfter.cpuSeconds - serverBefore.cpuSeconds
            if let core = plan.serverCPU, let generatorCore = plan.generatorCPU, busyAfter.count > max(core, generatorCore), busyBefore.count == busyAfter.count {
                let otherOnServerCore = (busyAfter[core] - busyBefore[core]) - serverCPU!
                let otherOnGeneratorCore = (busyAfter[generatorCore] - busyBefore[generatorCore]) - generatorCPU
                clean = otherOnServerCore < 0.1 * wall && otherOnGeneratorCore < 0.1 * wall
            }
        }
        let result = StepResult(
            offeredPerSecond: rate, broadcastsPerSecond: Self.round(perSecond), members: members, seconds: Self.round(window),
            broadcastsSent: sent, expected: expected, delivered: received,
            deliveredRatio: expected == 0 ? 0 : Double(received) / Double(expected),
            deliveredPerSecond: deliveredPerSecond.rounded(),
            endToEnd: endToEnd, serverToClient: serverToClient, completion: completion,
            serverCPUPercent: serverCPU.map { Self.round(100 * $0 / wall) },
            serverCPUMsPer1000: serverCPU.flatMap { received > 0 ? Self.round(1000 * $0 / (Double(received) / 1000)) : nil },
            generatorCPUPercent: Self.round(100 * generatorCPU / wall),
            generatorBound: plan.ceiling.map { deliveredPerSecond >= 0.8 * $0 } ?? false,
            clean: clean
        )
        log(String(
            format: "%@ %d/s: delivered %.0f/s (%.2f%%), e2e p50 %.2f p99 %.2f max %.1f ms, complete p99 %.2f ms, server CPU %@%%, %@ ms/1k, generator %.0f%%%@",
            webinar == nil ? "rooms of \(members)" : "room of \(members)", rate, deliveredPerSecond, 100 * result.deliveredRatio,
            endToEnd.p50, endToEnd.p99, endToEnd.max, completion.p99,
            result.serverCPUPercent.map { String($0) } ?? "-", result.serverCPUMsPer1000.map { String($0) } ?? "-",
            result.generatorCPUPercent, result.generatorBound ? " (generator-bound)" : ""
        ))
        try await settle()
        return result
    }

    /// Waits until deliveries stop arriving (a saturated server drains its backlog).
    private func settle() async throws {
        var last = -1
        for _ in 0..<100 {
            let count: Int = try await onLoop { $0.delivered }
            if count == last { return }
            last = count
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    private func serverSample() -> ProcessStats.Sample? {
        serverPid.flatMap { ProcessStats.sample(pid: $0) }
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Closes every client and stops the loop.
    public func shutdown() async throws {
        try await onLoop { $0.closeAll() }
        try await group.shutdownGracefully()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
