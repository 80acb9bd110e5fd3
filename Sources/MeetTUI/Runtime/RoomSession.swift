import Foundation
import MeetingsContract

/// What the full screen (``MeetSession/run(_:meetingId:)``) and the announcements
/// (``AnnounceSession``) share once the meeting is joined: the live room and its clock, the
/// reducer's effects that reach the server, the hooks and the log, and the leaving.
struct RoomSession: Sendable {
    let api: MeetingsAPIClient
    let room: LiveRoom
    let sinks: SessionSinks
    let meetingId: String
    /// Where messages for the reducer go (the UI thread's inbox, the announcer's stream).
    let deliver: @Sendable (ClientMessage) -> Void

    /// Opens the live room (connection changes go to the log too) and starts the clock: a tick
    /// every `tick`, a ping every 5 s. Cancel the returned tasks when done.
    func start(tick: Duration) -> [Task<Void, Never>] {
        let (room, sinks, deliver) = (room, sinks, deliver)
        let connecting = Task {
            do {
                try await room.start { message in
                    if case .connection(let status) = message { sinks.connection(status) }
                    deliver(message)
                }
            } catch {
                deliver(.failed("Live updates failed: \(error)"))
            }
        }
        let ticksPerPing = max(1, Int(Duration.seconds(5) / tick))
        let ticker = Task {
            var count = 0
            while !Task.isCancelled {
                deliver(.tick(.now()))
                if count % ticksPerPing == 0 { await room.ping() }
                count += 1
                try? await Task.sleep(for: tick)
            }
        }
        return [connecting, ticker]
    }

    /// Does what an effect asks of the server or the sinks; `.perform` waits for the answer
    /// (delivered as `.done` or `.failed`, a refusal also logged). Returns whether it was one of
    /// these; `.quit` and `.bell` are the front end's.
    @discardableResult
    func handle(_ effect: ClientEffect) async -> Bool {
        switch effect {
        case .fetchSnapshot:
            let (api, meetingId, deliver) = (api, meetingId, deliver)
            Task {
                do { deliver(.snapshot(try await api.snapshot(meetingId))) } catch { deliver(.failed("\(error)")) }
            }
        case .joinRoom:
            let room = room
            Task { try? await room.join() }
        case .perform(let action):
            do {
                try await api.perform(action, in: meetingId)
                deliver(.done(action))
            } catch {
                let request = action.request(in: meetingId)
                sinks.note("refused", "\(request.method) \(request.path): \(error)")
                deliver(.failed("\(error)"))
            }
        case .notice(let notice):
            sinks.notice(notice)
        case .quit, .bell:
            return false
        }
        return true
    }

    /// Leaves over REST when asked (a few seconds at most: quitting must not hang on an
    /// unreachable server), closes the live room and the log. Returns whether the server
    /// confirmed leaving.
    func finish(leave: Bool) async -> Bool {
        let (api, meetingId, room) = (api, meetingId, room)
        let left = leave ? await MeetSession.within(.seconds(5)) { try await api.perform(.leave, in: meetingId) } : false
        _ = await MeetSession.within(.seconds(2)) { await room.stop() }
        sinks.note("session", leave ? (left ? "left" : "quit; the server did not confirm leaving") : "closed")
        await sinks.close()
        return left
    }
}
