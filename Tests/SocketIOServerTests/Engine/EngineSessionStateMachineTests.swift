import Testing

@testable import SocketIOServer

/// The Engine.IO session state machine, driven directly: no sockets, no clocks.
@Suite struct EngineSessionStateMachineTests {
    typealias Machine = EngineSessionStateMachine<String>

    func polling() -> Machine {
        Machine(startOnWebSocket: false, maxBufferedBytes: 1 << 20, size: { $0.utf8.count })
    }

    /// The frames of an `answerPoll` action, or `nil` for any other action.
    func answered(_ action: Machine.SendAction) -> [String]? {
        if case .answerPoll(let frames) = action { return frames }
        return nil
    }

    func isNone(_ action: Machine.SendAction) -> Bool {
        if case .none = action { return true }
        return false
    }

    @Test func aPollWithNothingQueuedIsHeldAndTheNextSendAnswersIt() {
        var machine = polling()
        let poll = machine.pollRequested()
        #expect(poll == .hold)
        let send = machine.send(["4a"])
        #expect(answered(send) == ["4a"])
        #expect(machine.pollHeld == false)
    }

    @Test func queuedFramesGoOutWithTheNextPoll() {
        var machine = polling()
        let send = machine.send(["4a", "4b"])
        #expect(isNone(send))
        let poll = machine.pollRequested()
        #expect(poll == .answer(["4a", "4b"]))
        #expect(machine.outbox.isEmpty)
    }

    @Test func aSecondPollWhileOneIsHeldIsADuplicate() {
        var machine = polling()
        let first = machine.pollRequested()
        let second = machine.pollRequested()
        #expect(first == .hold)
        #expect(second == .duplicatePoll)
    }

    @Test func framesCausedByAPostGoOutTogether() {
        var machine = polling()
        _ = machine.pollRequested()
        let started = machine.postStarted()
        #expect(started)
        let one = machine.send(["4one"])
        let two = machine.send(["4two"])
        #expect(isNone(one) && isNone(two), "corked while the POST runs")
        let finished = machine.postFinished()
        #expect(answered(finished) == ["4one", "4two"])
    }

    @Test func overlappingPostsAreRefused() {
        var machine = polling()
        let first = machine.postStarted()
        let second = machine.postStarted()
        #expect(first)
        #expect(!second)
    }

    @Test func upgradeProbeAnswersTheHeldPollAndFramesWaitForTheWebSocket() {
        var machine = polling()
        let requested = machine.upgradeRequested()
        let again = machine.upgradeRequested()
        #expect(requested)
        #expect(!again, "one upgrade at a time")
        let held = machine.pollRequested()
        #expect(held == .hold)
        let probe = machine.probeReceived()
        #expect(probe == .accepted(answerHeldPoll: true))
        let duringUpgrade = machine.pollRequested()
        #expect(duringUpgrade == .answerNoop)
        let queued = machine.send(["4during"])
        #expect(isNone(queued), "kept for the WebSocket")
        let completed = machine.upgradeCompleted()
        #expect(completed == false)
        #expect(machine.phase == .websocket)
        let flushed = machine.takeOutbox()
        #expect(flushed == ["4during"])
        let afterUpgrade = machine.pollRequested()
        #expect(afterUpgrade == .transportMismatch)
        let wake = machine.send(["4after"])
        if case .wakeWriter = wake {} else { Issue.record("the WebSocket writer takes it") }
    }

    @Test func anAbortedUpgradeLeavesPollingAsItWas() {
        var machine = polling()
        _ = machine.upgradeRequested()
        machine.upgradeAborted()
        #expect(machine.phase == .polling(upgrade: .none))
        let probe = machine.probeReceived()
        let completed = machine.upgradeCompleted()
        let again = machine.upgradeRequested()
        #expect(probe == .invalid)
        #expect(completed == nil)
        #expect(again)
    }

    @Test func heartbeatTracksTheAwaitedPong() {
        var machine = polling()
        let sent = machine.pingSent()
        #expect(sent)
        #expect(machine.awaitingPong)
        machine.pongReceived()
        #expect(!machine.awaitingPong)
    }

    @Test func closeAnswersTheHeldPollOnceAndRefusesEverythingAfter() {
        var machine = polling()
        _ = machine.pollRequested()
        let first = machine.close()
        let second = machine.close()
        #expect(first == .init(answerHeldPoll: true, closeWebSocket: false))
        #expect(second == nil)
        let poll = machine.pollRequested()
        #expect(poll == .unknownSession)
        let send = machine.send(["4late"])
        if case .dropped = send {} else { Issue.record("dropped after close") }
        let ping = machine.pingSent()
        #expect(!ping)
    }

    @Test func closingWhileProbingClosesTheWebSocket() {
        var machine = polling()
        _ = machine.upgradeRequested()
        let close = machine.close()
        #expect(close == .init(answerHeldPoll: false, closeWebSocket: true))
    }

    @Test func aSlowConsumerIsClosedPastTheBound() {
        var machine = Machine(startOnWebSocket: true, maxBufferedBytes: 10, size: { $0.utf8.count })
        let under = machine.send(["4aaaa"])
        if case .wakeWriter = under {} else { Issue.record("under the bound") }
        let over = machine.send(["4bbbbbbb"])
        if case .closeSlowConsumer = over {} else { Issue.record("over the bound") }
    }
}
