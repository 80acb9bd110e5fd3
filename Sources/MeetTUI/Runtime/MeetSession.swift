import Foundation
import MeetingsContract
import SocketIOClient
import SocketIOProtocol
import Synchronization

/// How to reach the server and who the user is.
public struct SessionSettings: Sendable {
    public var servers: [String]
    public var token: String
    public var transport: TransportMode
    public var options: ClientModel.Options
    /// `[hooks]`: event config name → argv (see ``HookRunner``).
    public var hooks: [String: [String]]
    /// Where the meeting log goes (see ``MeetingLog``); nil: no log.
    public var logDirectory: String?

    public init(servers: [String], token: String, transport: TransportMode = .auto, options: ClientModel.Options = .init(),
                hooks: [String: [String]] = [:], logDirectory: String? = nil) {
        self.servers = servers
        self.token = token
        self.transport = transport
        self.options = options
        self.hooks = hooks
        self.logDirectory = logDirectory
    }

    public var api: MeetingsAPIClient { MeetingsAPIClient(servers: servers, token: token) }
}

/// A meeting attended from the terminal: REST join, the live room, the UI thread, and the
/// effects the UI asks for (REST actions, snapshots, re-joins), until `q`.
public enum MeetSession {
    /// Joins `meetingId` and runs the screen until the user quits. A refused join (locked,
    /// removed, ended, unknown) throws before the screen starts. The room's notices run the
    /// config's hooks and go to the meeting log (``SessionSinks``), off the UI thread.
    public static func run(_ settings: SessionSettings, meetingId: String) async throws {
        let api = settings.api
        let joined = try await api.join(meetingId)
        let me = AccessClaims.unverified(of: settings.token)?.userId ?? "?"
        var model = ClientModel(me: me, meetingId: meetingId, options: settings.options, now: .now())
        _ = model.update(.snapshot(joined))

        let inbox = Inbox()
        let sinks = SessionSinks(settings: settings, meetingId: meetingId) { inbox.push(.activity($0)) }
        sinks.note("session", "joined \(meetingId) as \(me)")
        let room = try LiveRoom(servers: settings.servers, token: settings.token, meetingId: meetingId, transport: settings.transport)
        let session = RoomSession(api: api, room: room, sinks: sinks, meetingId: meetingId) { inbox.push($0) }
        let (effects, continuation) = AsyncStream<ClientEffect>.makeStream()
        let ui = Task { await TerminalLoop.run(model: model, inbox: inbox, effects: continuation) }
        let tasks = session.start(tick: .seconds(1))
        var leave = false
        for await effect in effects {
            if await session.handle(effect) { continue }
            if case .quit(let leaving) = effect {
                leave = leaving
                break
            }
        }
        await ui.value
        for task in tasks { task.cancel() }
        let left = await session.finish(leave: leave)
        print(leave ? (left ? "Left the meeting \(meetingId)." : "Quit; the server did not confirm leaving \(meetingId).") : "Closed the meeting \(meetingId).")
    }

    /// Waits at most `limit` for `work`; true when it finished without error in time. Work that
    /// does not stop when cancelled is left behind (a task group would wait for it).
    static func within(_ limit: Duration, _ work: @escaping @Sendable () async throws -> Void) async -> Bool {
        let (outcome, report) = AsyncStream<Bool>.makeStream()
        let working = Task {
            let succeeded = (try? await work()) != nil
            report.yield(succeeded)
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            report.yield(false)
        }
        var iterator = outcome.makeAsyncIterator()
        let first = await iterator.next() ?? false
        working.cancel()
        timer.cancel()
        report.finish()
        return first
    }

    /// `meet watch`: joins like `run` (a visible participant), prints one JSON line per snapshot,
    /// event and connection change on stdout (the schema is in the README: `snapshot`, `event`,
    /// `connection`, `error`), and leaves on SIGINT or SIGTERM.
    public static func watch(_ settings: SessionSettings, meetingId: String) async throws {
        let api = settings.api
        let joined = try await api.join(meetingId)
        Interrupts.install()
        emit(["type": "snapshot", "state": (try? JSONValue(encoding: joined)) ?? .null])
        let room = try LiveRoom(servers: settings.servers, token: settings.token, meetingId: meetingId, transport: settings.transport)
        // The first connection joins the room as it opens (LiveRoom); a reconnect (to this
        // node or another) must join again, as the full-screen client's model does.
        let connections = Mutex((connected: false, before: false))
        try await room.start { message in
            switch message {
            case .snapshot(let state): emit(["type": "snapshot", "state": (try? JSONValue(encoding: state)) ?? .null])
            case .event(let event): emit(["type": "event", "event": .string(event.name.rawValue), "data": (try? JSONValue(encoding: event)) ?? .null])
            case .connection(let status):
                // The first connection's opening is not a state anyone reached yet; from then
                // on, every change is a line.
                if status != .connecting { emit(status.json) }
                let rejoin = connections.withLock { seen in
                    defer { seen = (status.isConnected, seen.before || status.isConnected) }
                    return status.isConnected && !seen.connected && seen.before
                }
                if rejoin { Task { try? await room.join() } }
            case .failed(let text): emit(["type": "error", "message": .string(text)])
            default: break
            }
        }
        while !Interrupts.pending {
            try? await Task.sleep(for: .milliseconds(100))
        }
        _ = await within(.seconds(5)) { try await api.perform(.leave, in: meetingId) }
        _ = await within(.seconds(2)) { await room.stop() }
    }

    private static let output = NSLock()

    static func emit(_ value: JSONValue) {
        output.lock()
        defer { output.unlock() }
        FileHandle.standardOutput.write(Data((value.jsonString + "\n").utf8))
    }
}
