#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MeetingsContract
import Synchronization

/// The meeting log: `$XDG_STATE_HOME/meet/<meeting id>.log` (else `~/.local/state/meet/`), one
/// line per room notice and per change the client itself sees, appended across sessions:
///
/// ```
/// 2026-12-04T21:52:05.123Z seq=12 hand_raised Bob raised a hand (#1)
/// 2026-12-04T21:52:09.870Z seq=- connection reconnecting (attempt 1, next in 1000 ms)
/// ```
///
/// Columns: the time (ISO 8601 UTC; the server's for room events, the client's for its own
/// lines), `seq=<n>` (`seq=-` for the client's lines), the event's config name (or `session`,
/// `connection`, `refused`), the sentence of the activity pane (newlines written `\n`). The
/// directory is made 0700 and the file 0600; lines are written on a queue of their own.
public final class MeetingLog: Sendable {
    /// The file.
    public let path: String
    /// The open file; -1 once closed (only the queue writes or closes it).
    private let descriptor: Atomic<Int32>
    private let queue = DispatchQueue(label: "meet.meeting-log")

    /// `$XDG_STATE_HOME/meet`, else `$HOME/.local/state/meet`.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/meet" }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.local/state/meet"
    }

    /// The file name of a meeting's log: its id, with anything but letters, digits, `.`, `_`
    /// and `-` written `_` (and no leading dot).
    public static func fileName(for meetingId: String) -> String {
        var name = String(meetingId.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        return name + ".log"
    }

    /// Opens (creating it and its directory as needed) the log of `meetingId` in `directory`.
    public init(meetingId: String, directory: String) throws(MeetingLogError) {
        var made = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            made += "/" + component
            if mkdir(made, 0o700) != 0 && errno != EEXIST {
                throw MeetingLogError("cannot create \(made): \(String(cString: strerror(errno)))")
            }
        }
        path = directory + "/" + Self.fileName(for: meetingId)
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if opened < 0 { throw MeetingLogError("cannot open \(path): \(String(cString: strerror(errno)))") }
        descriptor = Atomic(opened)
    }

    /// Appends the line of a room notice.
    public func record(_ notice: RoomNotice) {
        append(Self.line(for: notice))
    }

    /// Appends a line of the client's own (`seq=-`), e.g. `note("connection", "connected over websocket")`.
    public func note(_ kind: String, _ text: String, at time: Timestamp = .now()) {
        append(Self.line(at: time, seq: nil, kind: kind, text: text))
    }

    /// Writes what is queued and closes the file; lines that come later are dropped.
    public func close() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                closeDescriptor(descriptor.exchange(-1, ordering: .relaxed))
                done.resume()
            }
        }
    }

    /// A log never closed (its session failed to start) closes here.
    deinit { closeDescriptor(descriptor.exchange(-1, ordering: .relaxed)) }

    private func append(_ line: String) {
        queue.async { [self] in
            let open = descriptor.load(ordering: .relaxed)
            if open >= 0 { writeAll(line + "\n", to: open) }
        }
    }

    /// The line of a notice: its time from the server (the client's now when it has none).
    public static func line(for notice: RoomNotice, now: Timestamp = .now()) -> String {
        let seq = notice.fields["seq"].flatMap(Int.init)
        return line(at: notice.at.milliseconds > 0 ? notice.at : now, seq: seq, kind: notice.name, text: notice.text)
    }

    /// One line: `<time> seq=<n|-> <kind> <text>`.
    public static func line(at time: Timestamp, seq: Int?, kind: String, text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "\\n")
        return "\(time) seq=\(seq.map(String.init) ?? "-") \(kind)" + (flat.isEmpty ? "" : " \(flat)")
    }

    /// How the log words a connection change.
    public static func describe(_ status: ConnectionStatus) -> String {
        switch status {
        case .connecting: "connecting"
        case .connected(let transport): "connected over \(transport)"
        case .reconnecting(let attempt, let milliseconds): "reconnecting (attempt \(attempt), next in \(milliseconds) ms)"
        case .offline(let reason): "offline (\(reason))"
        }
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    if descriptor >= 0 { _ = close(descriptor) }
}

/// The meeting log could not be opened; the session goes on without it.
public struct MeetingLogError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
