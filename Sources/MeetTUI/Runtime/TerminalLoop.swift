import Foundation
import MeetingsServer
import Synchronization

/// Messages for the UI thread, from any task.
public final class Inbox: Sendable {
    private let messages = Mutex<[ClientMessage]>([])

    public init() {}

    public func push(_ message: ClientMessage) { messages.withLock { $0.append(message) } }

    func drain() -> [ClientMessage] { messages.withLock { queue in defer { queue = [] }; return queue } }
}

/// The UI thread: the only owner of the model and of ncurses. It applies messages and keys to
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
        defer { terminal.stop() }
        let offset = TimeZone.current.secondsFromGMT()
        var dirty = true
        while true {
            var produced: [ClientEffect] = []
            if Interrupts.pending {
                effects.yield(.quit(leave: true))
                return
            }
            for message in inbox.drain() {
                produced += model.update(message)
                dirty = true
            }
            if dirty {
                Layout(model: model, utcOffsetSeconds: offset).draw(on: &terminal)
                dirty = false
            }
            if let key = terminal.readKey() {
                if key != .resize { produced += model.update(.key(key)) }
                dirty = true
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
        }
    }
}
