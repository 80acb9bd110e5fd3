@testable import MeetingsServer
import Testing

/// The per-user token bucket, on an injected clock.
@Suite("Rate limiter")
struct RateLimiterTests {
    @Test func burstThenRefillPerUser() {
        let limiter = RateLimiter(rate: 2)
        let start = ContinuousClock.now
        let first = (0..<6).map { _ in limiter.admit("alice", now: start) }
        #expect(first.allSatisfy { $0 == nil }, "a burst of 3 x rate passes")
        #expect(limiter.admit("alice", now: start) == 1, "then wait a second")
        #expect(limiter.admit("bob", now: start) == nil, "per user")
        #expect(limiter.admit("alice", now: start + .milliseconds(500)) == nil, "half a second refills one token at 2/s")
        #expect(limiter.admit("alice", now: start + .milliseconds(500)) != nil)
    }

    @Test func zeroTurnsItOff() {
        let limiter = RateLimiter(rate: 0)
        let now = ContinuousClock.now
        #expect((0..<1000).allSatisfy { _ in limiter.admit("alice", now: now) == nil })
    }
}
