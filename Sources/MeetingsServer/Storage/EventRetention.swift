import MeetingsContract

/// How much of a meeting's event log is kept: at least `kept` events, pruned every `step`
/// events (so between `kept` and `kept + step` are there).
public struct EventRetention: Sendable, Hashable {
    public var kept: Int64
    public var step: Int64

    public init(kept: Int64, step: Int64) {
        self.kept = kept
        self.step = step
    }

    /// The contract's promise: at least the last 10,000 events.
    public static let standard = EventRetention(kept: 10_000, step: 500)

    /// The `seq` up to which events may be deleted after these were recorded, if it is time.
    func pruning(after events: [MeetingEvent]) -> Int64? {
        guard let last = events.last?.seq else { return nil }
        // Any event of the batch crossing a multiple of `step` triggers it.
        guard let first = events.first?.seq, (first...last).contains(where: { $0 % step == 0 }) else { return nil }
        return last - kept
    }
}
