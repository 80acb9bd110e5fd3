import Synchronization

/// A per-user token bucket: `rate` requests per second, bursts of `burst`. Per node, in
/// memory; idle (full) buckets are dropped when many users have one.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private static let bucketsKept = 10_000

    /// - Parameter rate: requests per second; 0 turns the limit off.
    init(rate: Int, burst: Int? = nil) {
        self.rate = Double(rate)
        self.burst = Double(burst ?? rate * 3)
    }

    /// Takes a token for `userId`; returns nil when allowed, else the seconds to wait.
    func admit(_ userId: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard rate > 0 else { return nil }
        return buckets.withLock { buckets in
            var bucket = buckets[userId] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            defer {
                buckets[userId] = bucket
                if buckets.count > Self.bucketsKept { prune(&buckets, now: now) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(burst / rate)
        buckets = buckets.filter { now - $0.value.updated < refill }
    }
}
