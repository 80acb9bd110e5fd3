import Hummingbird
import Logging
import ServiceLifecycle
import SocketIOConformance

/// Runs an application on 127.0.0.1 on a free port for the duration of `body`, then shuts it
/// down gracefully.
public func withRunningApplication(
    _ makeApplication: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol,
    _ body: (Int) async throws -> Void
) async throws {
    let ports = Mailbox<Int>()
    let app = makeApplication { port in ports.push(port) }
    let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "test-server"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        guard let port = await ports.next(timeout: .seconds(10)) else {
            await group.triggerGracefulShutdown()
            throw TestServerDidNotStart()
        }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Runs the protocol suites' server ("suite mode") on a free port for the duration of `body`.
public func withConformanceServer(_ body: (Int) async throws -> Void) async throws {
    try await withRunningApplication({ onRunning in ConformanceServer.makeApplication(port: 0, onServerRunning: onRunning) }, body)
}

/// The test server did not report a port in time.
public struct TestServerDidNotStart: Error {}
