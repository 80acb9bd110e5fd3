#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A self-pipe that wakes the UI thread: any thread (or a signal handler) writes a byte, the UI
/// thread waits on the read end together with the terminal's input (`poll`), so a key or an
/// event reaches the screen at once instead of at the next tick of a fixed poll. At most one
/// byte is in flight between two ``drain()``s, so the pipe never fills.
public final class WakeSignal: Sendable {
    /// The end to wait on.
    public let readDescriptor: Int32
    /// The end a signal handler writes to.
    public let writeDescriptor: Int32
    private let pending = Atomic<Bool>(false)

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            // Without a pipe the loop still runs: `wait` falls back to its timeout.
            ends = [-1, -1]
        }
        readDescriptor = ends[0]
        writeDescriptor = ends[1]
    }

    deinit {
        if readDescriptor >= 0 { close(readDescriptor) }
        if writeDescriptor >= 0 { close(writeDescriptor) }
    }

    /// Wakes the waiting thread (once, however often it is called before the next drain).
    public func wake() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing), writeDescriptor >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Waits until `descriptor` is readable, the signal is woken or `timeoutMilliseconds` pass
    /// (a signal also ends the wait); then clears the signal.
    public func wait(alsoFor descriptor: Int32, timeoutMilliseconds: Int32) {
        var fds = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        if !pending.load(ordering: .acquiring) { _ = poll(&fds, nfds_t(fds.count), timeoutMilliseconds) }
        drain()
    }

    /// Empties the pipe and clears the signal.
    public func drain() {
        pending.store(false, ordering: .releasing)
        guard readDescriptor >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }
}
