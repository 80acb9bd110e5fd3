import MeetingsContract
import Logging
import ServiceLifecycle

/// Presence across server nodes sharing one database: this node's heartbeat every 2 s, and
/// the sockets of a node silent for 10 s (killed, or cut off) dropped, so its users go offline
/// once and get their grace period to come back through another node. No ghost stays.
///
/// After losing the database itself, a node judges no other until its own heartbeats have
/// gone through for 10 s again: every node's heartbeat stopped during an outage of the whole
/// database, and none of them is dead. A node another one forgot while it was cut off
/// learns it from its next heartbeat and calls `rejoin` (the server closes its Socket.IO
/// connections, whose clients connect and join again, so presence is counted afresh).
public struct NodePresence: Service {
    let service: MeetingService
    let rejoin: @Sendable () async -> Void
    /// How often this node says it is alive.
    public static let interval: Duration = .seconds(2)
    /// How long a node may be silent before its sockets are dropped.
    public static let timeout: Duration = .seconds(10)

    public init(service: MeetingService, rejoin: @escaping @Sendable () async -> Void = {}) {
        self.service = service
        self.rejoin = rejoin
    }

    /// At start-up: with no other live node this is a restart of the whole service, and
    /// presence starts over with no event (meetings-api §3); otherwise the others keep theirs.
    static func start(_ service: MeetingService) async throws {
        let now = service.now()
        let live = try await service.store.liveNodes(since: now.adding(.zero - timeout)).filter { $0 != service.node }
        if live.isEmpty { try await service.store.restartPresence(at: now, grace: service.presenceGrace) }
        try await service.store.heartbeat(node: service.node, at: now)
    }

    public func run() async throws {
        var state = SweepState()
        while !Task.isCancelledOrShuttingDown {
            do {
                try await sweep(&state)
            } catch {
                state.failed(at: .now)
                service.logger.log(level: error.isUnavailable ? .debug : .error, "node presence failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
        try? await service.store.removeNode(service.node)
    }

    func sweep(_ state: inout SweepState) async throws {
        let now = service.now()
        if try await !service.store.heartbeat(node: service.node, at: now) {
            service.logger.warning("another node forgot this one while it was cut off from the database; its clients connect again")
            await rejoin()
        }
        guard state.mayJudgeOthers(at: .now) else { return }
        let grace = service.presenceGrace
        for dead in try await service.store.deadNodes(before: now.adding(.zero - Self.timeout)) where dead != service.node {
            for meetingId in try await service.store.meetings(subscribedThrough: dead) {
                try await service.perform(meetingId) { meeting, time in meeting.dropNode(dead, at: time, grace: grace) }
            }
            try await service.store.removeNode(dead)
            service.logger.notice("dropped the sockets of a silent node", metadata: ["node": "\(dead)"])
        }
    }

    /// When this node last failed to reach the database: it judges other nodes only once its
    /// own heartbeats have gone through for ``timeout`` since.
    struct SweepState {
        private var lastFailure: ContinuousClock.Instant?

        mutating func failed(at instant: ContinuousClock.Instant) { lastFailure = instant }

        func mayJudgeOthers(at instant: ContinuousClock.Instant) -> Bool {
            guard let lastFailure else { return true }
            return instant - lastFailure >= NodePresence.timeout
        }
    }
}
