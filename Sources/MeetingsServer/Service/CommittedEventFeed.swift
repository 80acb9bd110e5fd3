import MeetingsContract
import ServiceLifecycle
import Synchronization

/// Several nodes: every committed event comes back from PostgreSQL (LISTEN) to every node in
/// commit order, and each node emits it to its own sockets. One ordering for everyone,
/// whichever node committed the change.
///
/// Its ``committed(_:)`` has nothing to do: the commit's own `NOTIFY`, in the same
/// transaction, is what hands the events over (``PostgresMeetingStore``), so an event is
/// published if and only if it was committed.
public final class CommittedEventFeed: CommittedEvents, Service {
    let store: PostgresMeetingStore
    public let stream: AsyncStream<[MeetingEvent]>
    private let continuation: AsyncStream<[MeetingEvent]>.Continuation
    private let listening = Atomic<Bool>(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: PostgresMeetingStore) {
        self.store = store
        (stream, continuation) = AsyncStream.makeStream()
    }

    /// Whether the feed's connection is listening (for health checks).
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    public func committed(_ events: [MeetingEvent]) async {}

    /// Starts listening and returns once it does, so no event committed after start-up is missed.
    func start() async {
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let continuation = continuation
        let feed = Task { [self] in
            await store.listenForCommittedEvents(ready: {
                self.listening.store(true, ordering: .relaxed)
                signal.yield()
            }, lost: {
                self.listening.store(false, ordering: .relaxed)
            }) { events in continuation.yield(events) }
            listening.store(false, ordering: .relaxed)
        }
        task.withLock { $0 = feed }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
    }

    public func run() async throws {
        try? await gracefulShutdown()
        task.withLock { $0 }?.cancel()
        continuation.finish()
    }
}
