import Foundation
import MeetingsContract
import SocketIOClient
import SocketIOProtocol

/// `meet join --announce …`: the meeting without the full-screen UI, for screen readers and
/// braille displays. The same ``ClientModel`` reducer as the screen is fed by ``LiveRoom``; its
/// notices become plain sentences (``Announcer``) on stdout or in a file, and also run the hooks
/// and fill the meeting log. Leaves on SIGINT, SIGTERM or SIGHUP, when removed, or when the
/// meeting ends.
public enum AnnounceSession {
    /// What to announce and where.
    public struct Settings: Sendable {
        public var categories: Set<AnnounceCategory>
        /// A file to append to instead of stdout.
        public var file: String?
        public init(categories: Set<AnnounceCategory>, file: String? = nil) {
            self.categories = categories
            self.file = file
        }
    }

    /// Joins `meetingId` and announces until interrupted. A refused join, or a file that cannot
    /// be written, throws before anything is said.
    public static func run(_ settings: SessionSettings, meetingId: String, announce: Settings) async throws {
        let output = try announce.file.map { path throws(AnnounceOutputError) in try AnnounceOutput(path: path) } ?? AnnounceOutput()
        let api = settings.api
        let joined = try await api.join(meetingId)
        Interrupts.install()
        let me = AccessClaims.unverified(of: settings.token)?.userId ?? "?"
        var model = ClientModel(me: me, meetingId: meetingId, options: settings.options, now: .now())
        _ = model.update(.snapshot(joined))
        var announcer = Announcer(categories: announce.categories)
        if let room = model.room { output.say(Announcer.welcome(to: room, me: me)) }

        let (messages, input) = AsyncStream<ClientMessage>.makeStream()
        let sinks = SessionSinks(settings: settings, meetingId: meetingId) { input.yield(.activity($0)) }
        sinks.note("session", "joined \(meetingId) as \(me) (announcing)")
        let room = try LiveRoom(servers: settings.servers, token: settings.token, meetingId: meetingId, transport: settings.transport)
        let session = RoomSession(api: api, room: room, sinks: sinks, meetingId: meetingId) { input.yield($0) }
        // Ticks every 250 ms: folded sentences are said when their 2 s are over.
        var tasks = session.start(tick: .milliseconds(250))
        tasks.append(Task {
            while !Task.isCancelled && !Interrupts.pending { try? await Task.sleep(for: .milliseconds(100)) }
            input.finish()
        })

        var leave = true
        loop: for await message in messages {
            switch message {
            case .connection(let status):
                for sentence in announcer.connection(status) { output.say(sentence) }
            case .tick(let now):
                for sentence in announcer.tick(now) { output.say(sentence) }
            case .failed(let text):
                warn(text)
            case .activity(let text):
                warn(text)
            default:
                break
            }
            for effect in model.update(message) {
                switch effect {
                case .perform:
                    // Never holds up the sentences.
                    Task { await session.handle(effect) }
                case .notice(let notice):
                    await session.handle(effect)
                    let said = announcer.receive(notice, now: .now())
                    for sentence in said { output.say(sentence) }
                    if let last = Self.lastWords(notice, me: me) {
                        // The session ends here: say why, even when the category is off.
                        if said.isEmpty {
                            for sentence in announcer.flush() { output.say(sentence) }
                            output.say(last)
                        }
                        leave = false
                        break loop
                    }
                case .quit(let leaving):
                    leave = leaving
                    break loop
                default:
                    await session.handle(effect)
                }
            }
        }
        for task in tasks { task.cancel() }
        for sentence in announcer.flush() { output.say(sentence) }
        let left = await session.finish(leave: leave)
        if leave { output.say(left ? "You left the meeting." : "You quit; the server did not confirm that you left.") }
    }

    /// What ends an announcing session, said as the last sentence: the meeting's end, or you
    /// leaving it (removed, timed out, or left from another client).
    static func lastWords(_ notice: RoomNotice, me: String) -> String? {
        if case .ended = notice.event.kind { return Announcer.sentence(for: notice) ?? "The meeting has ended." }
        guard case .participantLeft(me, let reason, _) = notice.event.kind else { return nil }
        switch reason {
        case .ended: return nil
        case .removed: return "You were removed from the meeting\(notice.fields["by"].map { " by \($0)" } ?? "")."
        case .timeout: return "You were offline too long and left the meeting."
        case .left: return "You left the meeting."
        }
    }

    /// A problem goes to stderr, not among the sentences.
    private static func warn(_ text: String) {
        FileHandle.standardError.write(Data("meet: \(text)\n".utf8))
    }
}
