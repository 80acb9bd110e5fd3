import EngineIOProtocol
import Synchronization
extension EngineConnection {
    /// Starts the server-driven heartbeat: a ping `pingInterval` after the open and after each
    /// pong, and a close when no pong comes within `pingTimeout`.
    func startHeartbeat() {
        let task = Task { [self] in await runHeartbeat() }
        let alreadyClosed = state.withLock { locked in
            locked.heartbeat = task
            return locked.machine.isClosed
        }
        if alreadyClosed { task.cancel() }
    }

    private func runHeartbeat() async {
        var nextPing = ContinuousClock.now + configuration.pingInterval
        while true {
            do { try await Task.sleep(until: nextPing, clock: .continuous) } catch { return }
            guard state.withLock({ $0.machine.pingSent() }) else { return }
            send([OutboundFrame.ping])
            let answered = await pong(within: configuration.pingTimeout)
            if Task.isCancelled { return }
            guard answered else {
                close(reason: .pingTimeout)
                return
            }
            nextPing = state.withLock { $0.lastPong } + configuration.pingInterval
        }
    }

    /// Waits for the pong of the ping just sent; `false` if none came in time.
    private func pong(within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { [self] in
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let done = state.withLock { locked in
                            if !locked.machine.awaitingPong || locked.machine.isClosed || Task.isCancelled { return true }
                            locked.pongWaiter = continuation
                            return false
                        }
                        if done { continuation.resume() }
                    }
                } onCancel: {
                    state.withLock { $0.pongWaiter.take() }?.resume()
                }
            }
            await group.next()
            group.cancelAll()
            return state.withLock { !$0.machine.awaitingPong }
        }
    }
}

extension OutboundFrame {
    static let ping = OutboundFrame(.ping())
}
