import Foundation
import MeetingsContract
import Synchronization

/// Where a session's notices go besides the screen or the announcements: the config's hooks
/// and the meeting log. Neither blocks the caller.
public final class SessionSinks: Sendable {
    let hooks: HookRunner?
    let log: MeetingLog?
    private let lastStatus = Mutex<ConnectionStatus?>(nil)

    /// Hooks from `settings.hooks`; the log in `settings.logDirectory` (none when nil). A log that
    /// cannot be opened and a hook that fails are told to `report`, once each.
    public init(settings: SessionSettings, meetingId: String, report: @escaping @Sendable (String) -> Void) {
        let hooks = settings.hooks.filter { !$0.value.isEmpty }
        self.hooks = hooks.isEmpty ? nil : HookRunner(hooks: hooks, report: report)
        if let directory = settings.logDirectory {
            do {
                log = try MeetingLog(meetingId: meetingId, directory: directory)
            } catch {
                log = nil
                report("Meeting log off: \(error)")
            }
        } else {
            log = nil
        }
    }

    /// A room notice: its hook runs, its line is logged.
    public func notice(_ notice: RoomNotice) {
        log?.record(notice)
        hooks?.fire(notice)
    }

    /// A connection change (logged when it differs from the last one).
    public func connection(_ status: ConnectionStatus) {
        let changed = lastStatus.withLock { last in
            defer { last = status }
            return last != status
        }
        if changed { log?.note("connection", MeetingLog.describe(status)) }
    }

    /// A line of the client's own for the log: `note("session", "joined as alice")`.
    public func note(_ kind: String, _ text: String) {
        log?.note(kind, text)
    }

    /// Closes the log (running hooks go on by themselves).
    public func close() async {
        await log?.close()
    }
}
