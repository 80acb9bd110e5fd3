/// Exponential backoff with jitter, as socket.io-client's `Backoff` (the vendored `backo2`,
/// `contrib/backo2.ts`, driven by `Manager` in `manager.ts`).
///
/// `Manager` builds it as `new Backoff({ min: reconnectionDelay, max: reconnectionDelayMax,
/// jitter: randomizationFactor })` with backo2's default factor 2, so attempt `n` (from 0) waits
///
///     ms = reconnectionDelay * 2^n
///     deviation = floor(rand * randomizationFactor * ms)
///     ms = floor(rand * 10) is even ? ms - deviation : ms + deviation
///     min(ms, reconnectionDelayMax), truncated to whole milliseconds
///
/// As in backo2, a randomization factor outside `0 < factor <= 1` means no jitter.
/// Unlike JavaScript, the exponent is capped so that a large `attempts` cannot overflow: the
/// delay is then simply `maxDelay`.
///
/// Pure value type: the random number is passed in, so the delays are reproducible in tests.
struct Backoff: Sendable, Hashable {
    /// The largest exponent used: `2^exponentCap` times any non-zero delay already exceeds any
    /// realistic `maxDelay`, and stays finite in `Double`.
    static let exponentCap = 62

    /// How many delays have been handed out since the last `reset()` (backo2's `attempts`).
    var attempts = 0

    /// The first delay, in milliseconds (`reconnectionDelay`).
    let initialMilliseconds: Double
    /// The longest delay, in milliseconds (`reconnectionDelayMax`).
    let maxMilliseconds: Double
    /// The longest delay as given (returned exactly when the cap applies).
    let maxDelay: Duration
    /// The jitter fraction (`randomizationFactor`); 0 for none.
    let jitter: Double

    /// A backoff for `policy`'s `initialDelay`, `maxDelay` and `randomizationFactor`.
    init(policy: ReconnectionPolicy) {
        initialMilliseconds = Self.milliseconds(policy.initialDelay)
        maxDelay = policy.maxDelay
        maxMilliseconds = Self.milliseconds(policy.maxDelay)
        let factor = policy.randomizationFactor
        // backo2: `opts.jitter > 0 && opts.jitter <= 1 ? opts.jitter : 0`.
        jitter = factor > 0 && factor <= 1 ? factor : 0
    }

    /// The delay before the next attempt (backo2's `duration()`); counts the attempt.
    ///
    /// - Parameter random: a number in `0..<1` (JavaScript's `Math.random()`); values outside
    ///   `0...1` (or NaN) are clamped.
    mutating func next(random: Double) -> Duration {
        let exponent = min(max(attempts, 0), Self.exponentCap)
        if attempts < Int.max { attempts += 1 }

        var ms = initialMilliseconds * Double(sign: .plus, exponent: exponent, significand: 1)
        if jitter > 0 {
            let rand = random.isNaN ? 0 : min(max(random, 0), 1)
            let deviation = (rand * jitter * ms).rounded(.down)
            ms = Int((rand * 10).rounded(.down)) & 1 == 0 ? ms - deviation : ms + deviation
        }
        if !(ms < maxMilliseconds) || !(ms < Double(Int64.max)) {
            return maxDelay
        }
        // JavaScript's `| 0`: truncate to whole milliseconds.
        return .milliseconds(Int64(max(ms, 0).rounded(.towardZero)))
    }

    /// Starts again from the first delay (backo2's `reset()`).
    mutating func reset() {
        attempts = 0
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
