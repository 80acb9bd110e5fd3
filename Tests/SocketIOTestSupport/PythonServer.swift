import Foundation

/// python-socketio's reference server (`Tests/interop/py_server.py`) in a child process.
///
/// Needs `INTEROP_PYTHON` (the venv's python, set by `scripts/test`).
public final class PythonServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// The interpreter to use, or `nil` when interop tests are not configured.
    public static var python: String? { ProcessInfo.processInfo.environment["INTEROP_PYTHON"] }

    /// Starts the server on `port` (0 picks a free one) and waits until it listens.
    public static func start(port: Int = 0) async throws -> PythonServer {
        guard let python else { throw PythonServerError("set INTEROP_PYTHON to the venv's python (scripts/test does)") }
        let chosen = port == 0 ? try freePort() : port
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop/py_server.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, String(chosen)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while !accepts(port: chosen) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw PythonServerError("py_server.py did not start on port \(chosen)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return PythonServer(port: chosen, process: process)
    }

    /// Runs `body` with a server started on `port` (0 picks a free one), and stops the server
    /// before returning, also when `body` throws. (The server also ends by itself when this
    /// process does, however it ends.)
    public static func with<T>(port: Int = 0, _ body: (PythonServer) async throws -> T) async throws -> T {
        let server = try await start(port: port)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 3 s) and waits for the process to end.
    public func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(3)
        while process.isRunning {
            if ContinuousClock.now > deadline { kill(process.processIdentifier, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    deinit { if process.isRunning { process.terminate() } }

    /// Whether something accepts TCP connections on 127.0.0.1:port.
    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port nothing listens on now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PythonServerError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The python server could not be started.
public struct PythonServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
