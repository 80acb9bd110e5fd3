#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where announcements go: stdout, or a file appended to (made 0600), one sentence a line, each
/// written out at once (no buffering) so that a screen reader or a `tail -f` has it now.
public final class AnnounceOutput: Sendable {
    private let descriptor: Int32
    private let owned: Bool
    private let lock = NSLock()

    /// Standard output.
    public init() {
        descriptor = STDOUT_FILENO
        owned = false
    }

    /// The file at `path` (`~/` expanded), created if missing; throws a message naming it.
    public init(path: String) throws(AnnounceOutputError) {
        let expanded = expandingHome(path)
        descriptor = open(expanded, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor < 0 { throw AnnounceOutputError("cannot write announcements to \(expanded): \(String(cString: strerror(errno)))") }
        owned = true
    }

    /// Writes `sentence` and a newline.
    public func say(_ sentence: String) {
        lock.lock()
        defer { lock.unlock() }
        writeAll(sentence + "\n", to: descriptor)
    }

    deinit {
        if owned { _ = close(descriptor) }
    }
}

/// The announcements' file cannot be opened.
public struct AnnounceOutputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
