#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP set a flag instead of killing the process, so that every exit
/// path leaves the meeting and restores the terminal.
public enum Interrupts {
    public static let received = Atomic<Bool>(false)

    public static func install() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(number) { _ in Interrupts.received.store(true, ordering: .relaxed) }
        }
    }

    public static var pending: Bool { received.load(ordering: .relaxed) }
}
