import MeetingsContract
import Logging
import ServiceLifecycle

/// Makes participants whose grace period ran out leave, checking the store's deadlines
/// (shared by every node) a few times per grace period, at least once a second.
public struct PresenceSweeper: Service {
    let service: MeetingService

    public init(service: MeetingService) { self.service = service }

    var interval: Duration {
        min(.seconds(1), max(.milliseconds(50), service.presenceGrace / 5))
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                try await service.expireAbsentParticipants()
            } catch {
                // An outage is logged once, by the store; not again every second.
                service.logger.log(level: error.isUnavailable ? .debug : .error, "presence sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

extension Error {
    /// The database's outage refusal (`unavailable`).
    var isUnavailable: Bool { (self as? MeetingError)?.code == .unavailable }
}
