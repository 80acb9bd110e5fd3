#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP set a flag instead of killing the process, so that every exit
/// path leaves the meeting and restores the terminal; SIGWINCH (installed by the full-screen
/// UI, replacing ncurses' own handler) marks a resize. Both wake the UI thread's wait.
public enum Interrupts {
    public static let received = Atomic<Bool>(false)
    /// The terminal changed size since the UI last looked.
    static let resized = Atomic<Bool>(false)
    /// The write end of the UI's ``WakeSignal`` (-1: none), written from the handlers.
    private static let wakeDescriptor = Atomic<Int32>(-1)

    public static func install() {
        // Statics are made on first use (swift_once), which a signal handler must not be.
        received.store(false, ordering: .relaxed)
        _ = wakeDescriptor.load(ordering: .relaxed)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(number) { _ in
                Interrupts.received.store(true, ordering: .relaxed)
                Interrupts.poke()
            }
        }
    }

    /// Takes SIGWINCH over from ncurses (whose handler only acts inside its own input calls, so
    /// a frame could be drawn with the old size after the terminal changed) and wakes `wake`.
    static func watchResizes(waking wake: WakeSignal) {
        wakeDescriptor.store(wake.writeDescriptor, ordering: .releasing)
        resized.store(false, ordering: .relaxed)
        _ = signal(SIGWINCH) { _ in
            Interrupts.resized.store(true, ordering: .releasing)
            Interrupts.poke()
        }
    }

    /// Stops waking a signal that is about to close.
    static func stopWaking() { wakeDescriptor.store(-1, ordering: .releasing) }

    /// Async-signal-safe: one `write` to the pipe, leaving `errno` as the interrupted code had it.
    private static func poke() {
        let descriptor = wakeDescriptor.load(ordering: .acquiring)
        guard descriptor >= 0 else { return }
        let saved = errno
        var byte: UInt8 = 2
        _ = write(descriptor, &byte, 1)
        errno = saved
    }

    public static var pending: Bool { received.load(ordering: .relaxed) }

    /// Whether the terminal was resized since the last call (clears the mark).
    static func takeResize() -> Bool { resized.exchange(false, ordering: .acquiringAndReleasing) }

    /// Whether a resize is waiting to be handled.
    static var resizePending: Bool { resized.load(ordering: .acquiring) }
}
