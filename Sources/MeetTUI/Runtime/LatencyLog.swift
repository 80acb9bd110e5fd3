import Foundation

/// `MEET_LATENCY_LOG=FILE`: for each live event, the time from the socket handing it over to
/// the frame that shows it being written to the terminal, and for each key the time from
/// reading it to that frame; one line each, `event meeting:hand-raised 812` or `key 240`
/// (microseconds). The tmux suite reads it; nothing is written without the variable.
struct LatencyLog {
    private let file: FileHandle
    private var lines = ""

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["MEET_LATENCY_LOG"], !path.isEmpty,
              FileManager.default.createFile(atPath: path, contents: nil),
              let file = FileHandle(forWritingAtPath: path) else { return nil }
        self.file = file
    }

    /// Notes what a frame shown now showed: events pushed at their instants, keys read at theirs.
    mutating func shown(events: [(name: String, at: ContinuousClock.Instant)], keys: [ContinuousClock.Instant]) {
        let now = ContinuousClock.now
        for event in events { lines += "event \(event.name) \(Self.microseconds(now - event.at))\n" }
        for key in keys { lines += "key \(Self.microseconds(now - key))\n" }
        guard !lines.isEmpty else { return }
        file.write(Data(lines.utf8))
        lines = ""
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
