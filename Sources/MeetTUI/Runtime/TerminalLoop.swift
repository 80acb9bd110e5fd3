import MeetingsContract
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Messages for the UI thread, from any task; each push wakes the thread.
public final class Inbox: Sendable {
    private let messages = Mutex<[(message: ClientMessage, at: ContinuousClock.Instant)]>([])
    /// What the UI thread waits on besides the terminal.
    let wake = WakeSignal()

    public init() {}

    public func push(_ message: ClientMessage) {
        let now = ContinuousClock.now
        messages.withLock { $0.append((message, now)) }
        wake.wake()
    }

    /// The messages pushed since the last drain, each with when it was pushed.
    func drain() -> [(message: ClientMessage, at: ContinuousClock.Instant)] {
        messages.withLock { queue in defer { queue = [] }; return queue }
    }
}

/// The UI thread: the only owner of the model and of ncurses. It waits for a key, a message or
/// a resize (no fixed poll: `poll` on the terminal and the inbox's wake pipe), applies them to
/// the model, draws, rings the bell, and hands every other effect to the async side.
enum TerminalLoop {
    /// Runs until the model asks to quit or a signal comes; returns once the terminal is restored.
    static func run(model initial: ClientModel, inbox: Inbox, effects: AsyncStream<ClientEffect>.Continuation) async {
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                loop(model: initial, inbox: inbox, effects: effects)
                finished.resume()
            }
            thread.name = "meet-ui"
            thread.start()
        }
    }

    private static func loop(model initial: ClientModel, inbox: Inbox, effects: AsyncStream<ClientEffect>.Continuation) {
        var model = initial
        var terminal = NcursesTerminal(color: model.options.color)
        terminal.start()
        Interrupts.watchResizes(waking: inbox.wake)
        defer {
            Interrupts.stopWaking()
            terminal.stop()
        }
        let offset = TimeZone.current.secondsFromGMT()
        var dirty = true
        var latency = LatencyLog()
        // What the next frame shown will show (only kept for `MEET_LATENCY_LOG`).
        var unshownEvents: [(name: String, at: ContinuousClock.Instant)] = []
        var unshownKeys: [ContinuousClock.Instant] = []
        while true {
            var produced: [ClientEffect] = []
            if Interrupts.pending {
                effects.yield(.quit(leave: true))
                return
            }
            if Interrupts.takeResize() {
                terminal.resize()
                dirty = true
            }
            for (message, at) in inbox.drain() {
                produced += model.update(message)
                dirty = true
                if latency != nil, case .event(let event) = message { unshownEvents.append((event.name.rawValue, at)) }
            }
            // Every key ncurses holds: what it has read from the terminal is no longer visible
            // to `poll`.
            reading: while true {
                switch terminal.readKey() {
                case .nothing: break reading
                case .ignored: continue reading
                case .key(let key):
                    if key != .resize { produced += model.update(.key(key)) }
                    dirty = true
                    if latency != nil { unshownKeys.append(.now) }
                }
            }
            if dirty {
                let rows = Layout(model: model).activityRows(screenRows: terminal.size.rows)
                if rows != model.activityRows { produced += model.update(.viewport(activityRows: rows)) }
                Layout(model: model, utcOffsetSeconds: offset).draw(on: &terminal)
                // A resize during the drawing: the frame was not shown; draw it at the new size.
                dirty = Interrupts.resizePending
                if !dirty, latency != nil {
                    latency?.shown(events: unshownEvents, keys: unshownKeys)
                    unshownEvents = []
                    unshownKeys = []
                }
            }
            for effect in produced {
                switch effect {
                case .bell:
                    terminal.bell()
                case .quit:
                    effects.yield(effect)
                    return
                default:
                    effects.yield(effect)
                }
            }
            // Sleeps until a key, a message, a resize or a signal; the clock's tick comes as a
            // message every second, and the timeout only guards against a lost wake-up.
            if !dirty { inbox.wake.wait(alsoFor: STDIN_FILENO, timeoutMilliseconds: 1000) }
        }
    }
}
