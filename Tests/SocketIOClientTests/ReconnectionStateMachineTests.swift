import Testing

@testable import SocketIOClient

/// `ReconnectionStateMachine` against socket.io-client's `Manager` reconnection behaviour.
@Suite struct ReconnectionStateMachineTests {
    typealias Machine = ReconnectionStateMachine

    private func policy(
        enabled: Bool = true,
        factor: Double = 0.5,
        maxAttempts: Int? = nil
    ) -> ReconnectionPolicy {
        var policy = ReconnectionPolicy()
        policy.enabled = enabled
        policy.randomizationFactor = factor
        policy.maxAttempts = maxAttempts
        return policy
    }

    /// A machine whose jitter random number is always `random`.
    private func machine(
        _ policy: ReconnectionPolicy = ReconnectionPolicy(),
        urls: Int = 1,
        random: Double = 0.0
    ) -> Machine {
        Machine(policy: policy, urlCount: urls, random: { random })
    }

    /// Connects and opens over polling.
    private func connected(_ machine: inout Machine) {
        let open = machine.connect()
        #expect(open == .open(urlIndex: machine.urlIndex))
        let opened = machine.opened(.polling)
        #expect(opened == .none)
        #expect(machine.state == .connected(.polling))
    }

    // MARK: - Start

    @Test func startsDisconnected() {
        let m = machine(urls: 3)
        #expect(m.state == .disconnected(.ioClientDisconnect))
        #expect(!m.isActive)
        #expect(m.urlIndex == 0)
        #expect(m.generation == 0)
    }

    @Test func connectOpensFirstURL() {
        var m = machine(urls: 3)
        let action = m.connect()
        #expect(action == .open(urlIndex: 0))
        #expect(m.state == .connecting(attempt: 1))
        #expect(m.isActive)

        let again = m.connect()
        #expect(again == .none)
        #expect(m.state == .connecting(attempt: 1))
    }

    @Test func openedConnectsAndUpgrades() {
        var m = machine()
        _ = m.connect()
        let opened = m.opened(.polling)
        #expect(opened == .none)
        #expect(m.state == .connected(.polling))
        #expect(m.isActive)

        let upgraded = m.upgraded(.websocket)
        #expect(upgraded == .none)
        #expect(m.state == .connected(.websocket))

        let connectAgain = m.connect()
        #expect(connectAgain == .none)
    }

    @Test func eventsThatDoNotApplyAreNoOps() {
        var m = machine()
        for action in [
            m.opened(.websocket), m.upgraded(.websocket), m.openFailed(), m.transportLost(.pingTimeout),
            m.timerFired(), m.timerFired(generation: 0), m.serverDisconnected(), m.refused(),
        ] {
            #expect(action == .none)
        }
        #expect(m.state == .disconnected(.ioClientDisconnect))

        _ = m.connect()
        let upgradeWhileConnecting = m.upgraded(.websocket)
        let lostWhileConnecting = m.transportLost(.transportClose)
        let timerWhileConnecting = m.timerFired()
        #expect(upgradeWhileConnecting == .none)
        #expect(lostWhileConnecting == .none)
        #expect(timerWhileConnecting == .none)
        #expect(m.state == .connecting(attempt: 1))

        _ = m.opened(.polling)
        let failedWhileConnected = m.openFailed()
        let openedWhileConnected = m.opened(.websocket)
        #expect(failedWhileConnected == .none)
        #expect(openedWhileConnected == .none)
        #expect(m.state == .connected(.polling))
    }

    // MARK: - Failures and the reconnection loop

    @Test func failuresReconnectWithIncreasingAttemptsRoundRobin() {
        var m = machine(urls: 3)
        let first = m.connect()
        #expect(first == .open(urlIndex: 0))

        var expectedURL = 0
        let delays: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)]
        for (index, delay) in delays.enumerated() {
            let attempt = index + 1
            let failed = m.openFailed()
            expectedURL = (expectedURL + 1) % 3
            #expect(failed == .wait(delay))
            #expect(m.state == .reconnecting(attempt: attempt, nextIn: delay))
            #expect(m.urlIndex == expectedURL)
            #expect(m.generation == attempt)
            #expect(!m.isAttemptInProgress)

            let fired = m.timerFired(generation: m.generation)
            #expect(fired == .open(urlIndex: expectedURL))
            // Still attempt `attempt`, now in progress.
            #expect(m.state == .reconnecting(attempt: attempt, nextIn: delay))
            #expect(m.isAttemptInProgress)

            // A second timer for the same wait does not open a second transport.
            let duplicate = m.timerFired()
            #expect(duplicate == .none)
        }
        #expect(m.isActive)
    }

    @Test func openFailedWhileWaitingIsNoOp() {
        var m = machine(urls: 2)
        _ = m.connect()
        _ = m.openFailed()
        let state = m.state
        let again = m.openFailed()
        #expect(again == .none)
        #expect(m.state == state)
        #expect(m.urlIndex == 1)
    }

    @Test func reconnectionAttemptSucceeds() {
        var m = machine(urls: 2)
        _ = m.connect()
        _ = m.openFailed()
        let fired = m.timerFired(generation: m.generation)
        #expect(fired == .open(urlIndex: 1))
        let opened = m.opened(.websocket)
        #expect(opened == .none)
        #expect(m.state == .connected(.websocket))
        #expect(!m.isAttemptInProgress)
    }

    @Test func successResetsBackoff() {
        var m = machine(urls: 3, random: 0.5)
        _ = m.connect()
        // Three failures: 1.25 s, 2.5 s, 5 s (capped).
        var waits: [Machine.Action] = []
        for _ in 0..<3 {
            waits.append(m.openFailed())
            _ = m.timerFired(generation: m.generation)
        }
        #expect(waits == [.wait(.milliseconds(1250)), .wait(.milliseconds(2500)), .wait(.seconds(5))])
        #expect(m.urlIndex == 0)
        let opened = m.opened(.websocket)
        #expect(opened == .none)

        // The next loss starts again from 1 s ± jitter (attempt 1), on the next URL.
        let lost = m.transportLost(.pingTimeout)
        #expect(lost == .wait(.milliseconds(1250)))
        #expect(m.state == .reconnecting(attempt: 1, nextIn: .milliseconds(1250)))
        #expect(m.urlIndex == 1)
    }

    @Test func transportLostSkipsToNextURL() {
        var m = machine(urls: 3)
        connected(&m)
        #expect(m.urlIndex == 0)
        let lost = m.transportLost(.transportClose)
        #expect(lost == .wait(.seconds(1)))
        #expect(m.state == .reconnecting(attempt: 1, nextIn: .seconds(1)))
        #expect(m.urlIndex == 1)
        let fired = m.timerFired(generation: m.generation)
        #expect(fired == .open(urlIndex: 1))
        let failed = m.openFailed()
        #expect(failed == .wait(.seconds(2)))
        #expect(m.state == .reconnecting(attempt: 2, nextIn: .seconds(2)))
        #expect(m.urlIndex == 2)
    }

    @Test func singleURLStaysOnIt() {
        var m = machine(urls: 1)
        connected(&m)
        _ = m.transportLost(.transportError)
        #expect(m.urlIndex == 0)
        let fired = m.timerFired()
        #expect(fired == .open(urlIndex: 0))
        _ = m.openFailed()
        #expect(m.urlIndex == 0)
    }

    // MARK: - Giving up

    @Test func maxAttemptsGivesUpAfterSecondFailedAttempt() {
        var m = machine(policy(maxAttempts: 2), urls: 3)
        connected(&m)
        let lost = m.transportLost(.pingTimeout)
        #expect(lost == .wait(.seconds(1)))
        #expect(m.state == .reconnecting(attempt: 1, nextIn: .seconds(1)))

        _ = m.timerFired(generation: m.generation)
        let firstFailure = m.openFailed()
        #expect(firstFailure == .wait(.seconds(2)))
        #expect(m.state == .reconnecting(attempt: 2, nextIn: .seconds(2)))

        _ = m.timerFired(generation: m.generation)
        let secondFailure = m.openFailed()
        #expect(secondFailure == .none)
        #expect(m.state == .disconnected(.reconnectFailed))
        #expect(!m.isActive)

        // The user may try again: a fresh budget.
        let again = m.connect()
        #expect(again == .open(urlIndex: m.urlIndex))
        let failed = m.openFailed()
        #expect(failed == .wait(.seconds(1)))
        #expect(m.state == .reconnecting(attempt: 1, nextIn: .seconds(1)))
    }

    @Test func maxAttemptsCountsReconnectionsAfterFirstConnectionFailed() {
        var m = machine(policy(maxAttempts: 2))
        _ = m.connect()
        let initialFailure = m.openFailed()
        #expect(initialFailure == .wait(.seconds(1)))
        _ = m.timerFired()
        let first = m.openFailed()
        #expect(first == .wait(.seconds(2)))
        _ = m.timerFired()
        let second = m.openFailed()
        #expect(second == .none)
        #expect(m.state == .disconnected(.reconnectFailed))
    }

    @Test func maxAttemptsZeroNeverRetries() {
        var m = machine(policy(maxAttempts: 0))
        _ = m.connect()
        let failed = m.openFailed()
        #expect(failed == .none)
        #expect(m.state == .disconnected(.reconnectFailed))

        connected(&m)
        let lost = m.transportLost(.transportClose)
        #expect(lost == .none)
        #expect(m.state == .disconnected(.reconnectFailed))
    }

    @Test func disabledPolicyNeverReconnects() {
        var m = machine(policy(enabled: false), urls: 2)
        _ = m.connect()
        let failed = m.openFailed()
        #expect(failed == .none)
        #expect(m.state == .disconnected(.transportError))
        #expect(m.urlIndex == 1)
        #expect(m.generation == 0)

        connected(&m)
        for reason in [ClientDisconnectReason.pingTimeout, .transportClose, .transportError] {
            if !m.isActive { connected(&m) }
            let lost = m.transportLost(reason)
            #expect(lost == .none)
            #expect(m.state == .disconnected(reason))
            let timer = m.timerFired()
            #expect(timer == .none)
        }
        #expect(m.generation == 0)
    }

    @Test func serverDisconnectNeverReconnects() {
        var m = machine(urls: 2)
        connected(&m)
        let action = m.serverDisconnected()
        #expect(action == .closeTransport)
        #expect(m.state == .disconnected(.ioServerDisconnect))
        #expect(!m.isActive)
        let timer = m.timerFired()
        let lost = m.transportLost(.transportClose)
        #expect(timer == .none)
        #expect(lost == .none)
        #expect(m.state == .disconnected(.ioServerDisconnect))
        #expect(m.generation == 0)
    }

    @Test func refusedNeverReconnects() {
        var m = machine(urls: 2)
        _ = m.connect()
        let action = m.refused()
        #expect(action == .closeTransport)
        #expect(m.state == .disconnected(.connectRefused))

        // Also during a reconnection attempt.
        connected(&m)
        _ = m.transportLost(.pingTimeout)
        let whileWaiting = m.refused()
        #expect(whileWaiting == .none)
        _ = m.timerFired()
        let duringAttempt = m.refused()
        #expect(duringAttempt == .closeTransport)
        #expect(m.state == .disconnected(.connectRefused))
        let again = m.refused()
        #expect(again == .none)
    }

    // MARK: - disconnect()

    @Test func disconnectWhenDisconnectedIsNone() {
        var m = machine()
        let action = m.disconnect()
        #expect(action == .none)
        #expect(m.state == .disconnected(.ioClientDisconnect))

        connected(&m)
        _ = m.serverDisconnected()
        let after = m.disconnect()
        #expect(after == .none)
        #expect(m.state == .disconnected(.ioServerDisconnect))
    }

    @Test func disconnectClosesOpenTransport() {
        var connecting = machine()
        _ = connecting.connect()
        let fromConnecting = connecting.disconnect()
        #expect(fromConnecting == .closeTransport)
        #expect(connecting.state == .disconnected(.ioClientDisconnect))

        var m = machine()
        connected(&m)
        let fromConnected = m.disconnect()
        #expect(fromConnected == .closeTransport)
        #expect(m.state == .disconnected(.ioClientDisconnect))

        connected(&m)
        _ = m.transportLost(.transportClose)
        _ = m.timerFired()
        let duringAttempt = m.disconnect()
        #expect(duringAttempt == .closeTransport)
        #expect(m.state == .disconnected(.ioClientDisconnect))
        let lateFailure = m.openFailed()
        let lateOpen = m.opened(.websocket)
        #expect(lateFailure == .none)
        #expect(lateOpen == .none)
        #expect(m.state == .disconnected(.ioClientDisconnect))
    }

    @Test func disconnectDuringWaitThenStaleTimerDoesNothing() {
        var m = machine(urls: 2)
        connected(&m)
        let lost = m.transportLost(.pingTimeout)
        #expect(lost == .wait(.seconds(1)))
        let waitGeneration = m.generation

        let action = m.disconnect()
        #expect(action == .none)
        #expect(m.state == .disconnected(.ioClientDisconnect))

        let stale = m.timerFired(generation: waitGeneration)
        #expect(stale == .none)
        #expect(m.state == .disconnected(.ioClientDisconnect))

        // Reconnecting again: the old timer still must not start the new wait's attempt.
        _ = m.connect()
        let failed = m.openFailed()
        #expect(failed == .wait(.seconds(1)))
        #expect(m.generation == waitGeneration + 1)
        let staleAgain = m.timerFired(generation: waitGeneration)
        #expect(staleAgain == .none)
        #expect(!m.isAttemptInProgress)
        let current = m.timerFired(generation: m.generation)
        #expect(current == .open(urlIndex: m.urlIndex))
    }

    @Test func generationIncrementsOnEveryReconnectingTransition() {
        var m = machine(urls: 3)
        connected(&m)
        _ = m.transportLost(.transportClose)
        #expect(m.generation == 1)
        _ = m.timerFired(generation: 1)
        _ = m.openFailed()
        #expect(m.generation == 2)
        let stale = m.timerFired(generation: 1)
        #expect(stale == .none)
        #expect(!m.isAttemptInProgress)
    }

    @Test func injectedRandomDrivesJitter() {
        var m = machine(urls: 1, random: 0.99)
        _ = m.connect()
        let first = m.openFailed()
        #expect(first == .wait(.milliseconds(1495)))
        _ = m.timerFired()
        let second = m.openFailed()
        #expect(second == .wait(.milliseconds(2990)))
        #expect(m.state == .reconnecting(attempt: 2, nextIn: .milliseconds(2990)))
    }

    @Test func defaultRandomStaysWithinJitterBounds() {
        var m = Machine(policy: ReconnectionPolicy(), urlCount: 1)
        _ = m.connect()
        let action = m.openFailed()
        guard case .wait(let delay) = action else {
            Issue.record("expected a wait, got \(action)")
            return
        }
        #expect(delay >= .milliseconds(500) && delay <= .milliseconds(1500))
    }
}
