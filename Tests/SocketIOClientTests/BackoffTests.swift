import Testing

@testable import SocketIOClient

/// `Backoff` against socket.io-client's backo2 (values checked with the JavaScript formula).
@Suite struct BackoffTests {
    private func policy(
        initial: Duration = .seconds(1),
        max: Duration = .seconds(5),
        factor: Double = 0.5
    ) -> ReconnectionPolicy {
        var policy = ReconnectionPolicy()
        policy.initialDelay = initial
        policy.maxDelay = max
        policy.randomizationFactor = factor
        return policy
    }

    private func delays(_ backoff: inout Backoff, random: Double, count: Int) -> [Duration] {
        (0..<count).map { _ in backoff.next(random: random) }
    }

    @Test func defaultDelaysWithoutJitter() {
        var backoff = Backoff(policy: policy(factor: 0))
        let got = delays(&backoff, random: 0.73, count: 5)
        #expect(got == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        #expect(backoff.attempts == 5)
    }

    @Test func defaultPolicyWithRandomZeroHasNoDeviation() {
        var backoff = Backoff(policy: ReconnectionPolicy())
        let got = delays(&backoff, random: 0.0, count: 5)
        #expect(got == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test(arguments: [
        // random, expected delays in ms for attempts 0...4 (defaults: 1 s, 5 s max, factor 0.5)
        (0.0, [1000, 2000, 4000, 5000, 5000] as [Int64]),
        (0.2, [900, 1800, 3600, 5000, 5000]),  // floor(2) even: minus
        (0.5, [1250, 2500, 5000, 5000, 5000]),  // floor(5) odd: plus
        (0.99, [1495, 2990, 5000, 5000, 5000]),  // floor(9.9) = 9 odd: plus, floor(495) deviation
    ])
    func jitterExactValues(random: Double, expected: [Int64]) {
        var backoff = Backoff(policy: ReconnectionPolicy())
        let got = delays(&backoff, random: random, count: 5)
        #expect(got == expected.map { .milliseconds($0) })
    }

    @Test func jitterWithHighCap() {
        var backoff = Backoff(policy: policy(max: .seconds(1000)))
        let got = delays(&backoff, random: 0.37, count: 8)
        let expected: [Int64] = [1185, 2370, 4740, 9480, 18960, 37920, 75840, 151680]
        #expect(got == expected.map { .milliseconds($0) })

        var down = Backoff(policy: policy(max: .seconds(1000)))
        let gotDown = delays(&down, random: 0.64, count: 4)
        #expect(gotDown == [680, 1360, 2720, 5440].map { .milliseconds($0) })
    }

    @Test func jitterStaysWithinBounds() {
        for random in stride(from: 0.0, to: 1.0, by: 0.01) {
            var backoff = Backoff(policy: policy(max: .seconds(1000)))
            for attempt in 0..<6 {
                let base = 1000 * (1 << attempt)
                let delay = backoff.next(random: random)
                let low = Duration.milliseconds(base / 2)
                let high = Duration.milliseconds(base + base / 2)
                #expect(delay >= low && delay <= high, "random \(random) attempt \(attempt): \(delay)")
            }
        }
    }

    @Test func fullJitterAndOutOfRangeFactor() {
        // factor 1: deviation up to the whole delay.
        var full = Backoff(policy: policy(initial: .milliseconds(250), max: .seconds(100), factor: 1))
        let got = delays(&full, random: 0.37, count: 5)
        #expect(got == [342, 685, 1370, 2740, 5480].map { .milliseconds($0) })

        // backo2 ignores a jitter above 1.
        var ignored = Backoff(policy: policy(factor: 1.5))
        let plain = delays(&ignored, random: 0.5, count: 3)
        #expect(plain == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func overflowSafetyAtLargeAttempts() {
        var backoff = Backoff(policy: ReconnectionPolicy())
        backoff.attempts = 100
        #expect(backoff.next(random: 0.5) == .seconds(5))
        #expect(backoff.attempts == 101)

        backoff.attempts = Int.max
        #expect(backoff.next(random: 0.99) == .seconds(5))
        #expect(backoff.attempts == Int.max)

        var noJitter = Backoff(policy: policy(initial: .milliseconds(1), max: .seconds(3600), factor: 0))
        noJitter.attempts = 1_000
        #expect(noJitter.next(random: 0) == .seconds(3600))
    }

    @Test func resetStartsAgain() {
        var backoff = Backoff(policy: policy(factor: 0))
        _ = delays(&backoff, random: 0, count: 4)
        backoff.reset()
        #expect(backoff.attempts == 0)
        #expect(backoff.next(random: 0) == .seconds(1))
        #expect(backoff.next(random: 0) == .seconds(2))
    }

    @Test func subMillisecondDelaysAreTruncated() {
        var backoff = Backoff(policy: policy(initial: .microseconds(1500), max: .seconds(5), factor: 0))
        #expect(backoff.next(random: 0) == .milliseconds(1))
        #expect(backoff.next(random: 0) == .milliseconds(3))
    }
}
