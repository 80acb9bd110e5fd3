import Logging
import ServiceLifecycle

/// Presence across server nodes sharing one database: this node's heartbeat every 2 s, and
/// the sockets of a node silent for 10 s (killed, or cut off) dropped, so its users go offline
/// once and get their grace period to come back through another node. No ghost stays.
public struct NodePresence: Service {
    let service: MeetingService
    /// How often this node says it is alive.
    public static let interval: Duration = .seconds(2)
    /// How long a node may be silent before its sockets are dropped.
    public static let timeout: Duration = .seconds(10)

    public init(service: MeetingService) { self.service = service }

    /// At start-up: with no other live node this is a restart of the whole service, and
    /// presence starts over with no event (meetings-api §3); otherwise the others keep theirs.
    static func start(_ service: MeetingService) async throws {
        let now = service.now()
        let live = try await service.store.liveNodes(since: now.adding(.zero - timeout)).filter { $0 != service.node }
        if live.isEmpty { try await service.store.restartPresence(at: now, grace: service.presenceGrace) }
        try await service.store.heartbeat(node: service.node, at: now)
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                try await sweep()
            } catch {
                service.logger.error("node presence failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
        try? await service.store.removeNode(service.node)
    }

    func sweep() async throws {
        let now = service.now()
        try await service.store.heartbeat(node: service.node, at: now)
        let grace = service.presenceGrace
        for dead in try await service.store.deadNodes(before: now.adding(.zero - Self.timeout)) where dead != service.node {
            for meetingId in try await service.store.meetings(subscribedThrough: dead) {
                try await service.perform(meetingId) { meeting, time in meeting.dropNode(dead, at: time, grace: grace) }
            }
            try await service.store.removeNode(dead)
            service.logger.notice("dropped the sockets of a silent node", metadata: ["node": "\(dead)"])
        }
    }
}
