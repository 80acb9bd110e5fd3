#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs the `[hooks]` of the config for the room's notices: each as its own process (no shell),
/// never waited for by the caller.
///
/// - At most one run per hook at a time. A notice for a hook that is still running waits for it,
///   and only the newest such notice does: three hands raised while `hand_raised` runs give one
///   more run, for the third.
/// - A hook's stdin and stdout are `/dev/null` (the screen or the announcements are not
///   disturbed); its stderr is kept for the report.
/// - A hook that cannot start, exits non-zero, dies of a signal or runs longer than `timeout`
///   (then it gets SIGTERM, and SIGKILL 2 s later) is reported once through `report` — "hook hand_raised failed
///   (exit 1): <its last line on stderr>" — and not again until it has succeeded once.
public final class HookRunner: Sendable {
    public typealias Report = @Sendable (String) -> Void

    let hooks: [String: [String]]
    let environment: [String: String]
    let timeout: Duration
    let report: Report
    private let state = Mutex(State())

    private struct State {
        var running: Set<String> = []
        var waiting: [String: RoomNotice] = [:]
        var failing: Set<String> = []
    }

    private enum Outcome {
        case succeeded
        case failed(String)
    }

    /// - Parameters:
    ///   - hooks: event config name → argv (an empty argv is no hook).
    ///   - environment: the hooks' environment, before `MEET_*` is added.
    ///   - timeout: how long a run may take before it is stopped.
    ///   - report: told (on another thread) when a hook fails.
    public init(hooks: [String: [String]], environment: [String: String] = ProcessInfo.processInfo.environment,
                timeout: Duration = .seconds(60), report: @escaping Report) {
        self.hooks = hooks.filter { !$0.value.isEmpty }
        self.environment = environment
        self.timeout = timeout
        self.report = report
    }

    /// Whether any hook is configured.
    public var isEmpty: Bool { hooks.isEmpty }

    /// Starts the hook of `notice.name`, if there is one; returns at once.
    public func fire(_ notice: RoomNotice) {
        let event = notice.name
        guard hooks[event] != nil else { return }
        let start = state.withLock { state in
            if state.running.contains(event) {
                state.waiting[event] = notice
                return false
            }
            state.running.insert(event)
            return true
        }
        if start { launch(event, notice) }
    }

    /// Waits until no hook runs or waits, at most `limit`; true when idle.
    public func idle(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.running.isEmpty }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return state.withLock { $0.running.isEmpty }
    }

    private func launch(_ event: String, _ notice: RoomNotice) {
        guard let argv = hooks[event] else { return finish(event, .succeeded) }
        let command = HookCommand(argv: argv, notice: notice, environment: environment)
        guard let executable = command.executable else {
            let program = command.arguments.first ?? ""
            let reason = program.contains("/") ? "\(program) is not an executable file" : "\(program) is not in PATH"
            return finish(event, .failed(": cannot run it: \(reason)"))
        }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("meet-hook-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let errorHandle = try? FileHandle(forWritingTo: errors)
        else {
            return finish(event, .failed(": cannot create a file for its stderr in \(FileManager.default.temporaryDirectory.path)"))
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = Array(command.arguments.dropFirst())
        process.environment = command.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorHandle
        let run = RunState()
        process.terminationHandler = { [self] finished in
            run.timer.withLock { $0?.cancel() }
            try? errorHandle.close()
            let lastLine = Self.lastLine(of: errors)
            try? FileManager.default.removeItem(at: errors)
            let detail = lastLine.map { ": \($0)" } ?? ""
            if run.timedOut.load(ordering: .relaxed) {
                finish(event, .failed(" (timed out after \(Self.words(timeout)))\(detail)"))
            } else if finished.terminationReason == .uncaughtSignal {
                finish(event, .failed(" (killed by signal \(finished.terminationStatus))\(detail)"))
            } else if finished.terminationStatus != 0 {
                finish(event, .failed(" (exit \(finished.terminationStatus))\(detail)"))
            } else {
                finish(event, .succeeded)
            }
        }
        let running = UncheckedProcess(process)
        // Started from a thread of its own with no signal blocked: a child inherits the mask of
        // the thread that spawns it, and the threads of the concurrency pool block most signals
        // (a hook would not die of SIGTERM).
        let starter = Thread { [self] in
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            do {
                try running.process.run()
            } catch {
                try? errorHandle.close()
                try? FileManager.default.removeItem(at: errors)
                return finish(event, .failed(": cannot run \(executable.path): \(error.localizedDescription)"))
            }
            let limit = timeout
            let timer = Task.detached {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled && running.process.isRunning {
                    run.timedOut.store(true, ordering: .relaxed)
                    running.process.terminate()
                    try? await Task.sleep(for: .seconds(2))
                    if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
                }
            }
            run.timer.withLock { $0 = timer }
            // A hook that ended before its timer was stored: the handler found none to cancel.
            if !running.process.isRunning { timer.cancel() }
        }
        starter.start()
    }

    /// Records how a run went, reports a new failure, and starts the waiting notice if any.
    private func finish(_ event: String, _ outcome: Outcome) {
        let (message, next): (String?, RoomNotice?) = state.withLock { state in
            var message: String?
            switch outcome {
            case .succeeded:
                state.failing.remove(event)
            case .failed(let why):
                if state.failing.insert(event).inserted { message = "hook \(event) failed\(why)" }
            }
            return (message, state.waiting.removeValue(forKey: event))
        }
        // Reported before the hook counts as idle, so that whoever waits for `idle` sees it.
        if let message { report(message) }
        if let next { return launch(event, next) }
        let late: RoomNotice? = state.withLock { state in
            // A notice that came while reporting runs now.
            guard let late = state.waiting.removeValue(forKey: event) else {
                state.running.remove(event)
                return nil
            }
            return late
        }
        if let late { launch(event, late) }
    }

    /// `60 s`, `300 ms`.
    static func words(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    /// The last non-empty line of a small text file (its last 4 KiB), at most 200 characters.
    static func lastLine(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        guard let data = try? handle.readToEnd() else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).last?.trimmingCharacters(in: .whitespaces), !line.isEmpty else { return nil }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// What the termination handler and the timeout of one run share.
private final class RunState: Sendable {
    let timedOut = Atomic<Bool>(false)
    let timer = Mutex<Task<Void, Never>?>(nil)
}

/// A running `Process` handed to the timeout task (`isRunning` and `terminate` are safe from
/// any thread).
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
