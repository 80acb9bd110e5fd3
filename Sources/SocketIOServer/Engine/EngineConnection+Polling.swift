import EngineIOProtocol
import Logging
import ServiceLifecycle
import Synchronization

extension EngineConnection {
    /// Answers a polling GET: queued frames at once, or when something is sent. A graceful
    /// shutdown closes the connection, so a held GET is answered with `close`.
    func poll() async -> Result<[OutboundFrame], EngineRequestError> {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>) in
                let action = state.withLock { locked in
                    let action = locked.machine.pollRequested()
                    if case .hold = action { locked.heldPoll = PollWaiter(continuation) }
                    return action
                }
                switch action {
                case .hold: break
                case .answer(let frames): continuation.resume(returning: .success(frames))
                case .answerNoop: continuation.resume(returning: .success([.noop]))
                case .unknownSession: continuation.resume(returning: .failure(.unknownSession))
                case .transportMismatch: continuation.resume(returning: .failure(.badRequest))
                case .duplicatePoll:
                    continuation.resume(returning: .failure(.badRequest))
                    logger.debug("closing: overlapping polling GET")
                    close(reason: .transportError)
                case .answerAndClose(let frames):
                    continuation.resume(returning: .success(frames + [.close]))
                    close(reason: state.withLock { $0.drainReason } ?? .forcedServerClose)
                }
            }
        } onGracefulShutdown: {
            self.beginServerShutdown()
        }
    }

    /// Handles a polling POST body. Frames it causes go out in one answer to the held GET.
    func post(_ body: String) -> Result<Void, EngineRequestError> {
        guard state.withLock({ $0.machine.postStarted() }) else {
            logger.debug("closing: overlapping polling POST")
            close(reason: .transportError)
            return .failure(.badRequest)
        }
        let packets: [EnginePacket]
        do {
            packets = try EnginePayload.decode(body)
        } catch {
            logger.debug("closing: \(error)")
            close(reason: .parseError)
            return .failure(.badRequest)
        }
        for packet in packets where !receive(packet) { break }
        let (action, poll) = state.withLock { locked in
            let action = locked.machine.postFinished()
            if case .answerPoll = action { return (action, locked.heldPoll.take()) }
            return (action, nil)
        }
        if case .answerPoll(let frames) = action { poll?.resume(frames) }
        return .success(())
    }
}
