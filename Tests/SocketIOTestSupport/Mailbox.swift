import Synchronization

/// A queue a test can await with a timeout: producers `push`, the test takes with `next(timeout:)`.
public final class Mailbox<Element: Sendable>: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var items: [Element] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Element?, Never>)?
        var nextWaiterId = 0
        var finished = false
    }

    public init() {}

    /// Adds an element, waking a waiting taker.
    public func push(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            if let waiter = state.waiter.take() { return waiter.continuation }
            state.items.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    /// No more elements will come: waiting and later takers get `nil` once the queue is empty.
    public func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.continuation.resume(returning: nil)
    }

    /// The next element, or `nil` after `timeout` or once finished and empty.
    public func next(timeout: Duration = .seconds(3)) async -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let (immediate, id) = state.withLock { state -> (Element??, Int) in
                if !state.items.isEmpty { return (.some(state.items.removeFirst()), 0) }
                if state.finished { return (.some(nil), 0) }
                state.nextWaiterId += 1
                state.waiter = (state.nextWaiterId, continuation)
                return (nil, state.nextWaiterId)
            }
            if let immediate {
                continuation.resume(returning: immediate)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> CheckedContinuation<Element?, Never>? in
                    guard state.waiter?.id == id else { return nil }
                    return state.waiter.take()?.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
