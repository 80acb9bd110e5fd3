import ServiceLifecycle
import Synchronization

/// With several nodes: every committed event comes back from PostgreSQL to every node in commit
/// order, and each node emits it to its own sockets. One ordering for everyone, whichever node
/// committed the change.
public final class CommittedEventFeed: Service {
    let store: PostgresMeetingStore
    private let listening = Atomic<Bool>(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: PostgresMeetingStore) { self.store = store }

    /// Whether the feed's connection is listening (for health checks).
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    /// Starts listening and returns once it does, so no event committed after start-up is missed.
    func start(_ handler: @escaping @Sendable ([PublishedEvent]) async -> Void) async throws {
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let feed = Task { [self] in
            await store.listenForCommittedEvents(ready: {
                self.listening.store(true, ordering: .relaxed)
                signal.yield()
            }, lost: {
                self.listening.store(false, ordering: .relaxed)
            }, handler)
            listening.store(false, ordering: .relaxed)
        }
        task.withLock { $0 = feed }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
    }

    public func run() async throws {
        try? await gracefulShutdown()
        task.withLock { $0 }?.cancel()
    }
}
