import SocketIOClient

extension SocketIOClient {
    /// A client of our test server on 127.0.0.1:`port`, over `mode`; `configure` sets the rest
    /// (reconnection delays, limits).
    public static func local(
        port: Int,
        _ mode: TransportMode,
        configure: (inout SocketIOClientConfiguration) -> Void = { _ in }
    ) throws -> SocketIOClient {
        var configuration = SocketIOClientConfiguration()
        configuration.transport = mode
        configure(&configuration)
        return try SocketIOClient(url: "http://127.0.0.1:\(port)", configuration: configuration)
    }

    /// Waits until the client reports a state that `wanted` accepts; `false` after `timeout`.
    public nonisolated func waitUntil(timeout: Duration = .seconds(10), _ wanted: @escaping @Sendable (ConnectionState) -> Bool) async -> Bool {
        let states = await stateChanges()
        let found = Mailbox<Bool>()
        let watcher = Task {
            for await state in states where wanted(state) {
                found.push(true)
                return
            }
        }
        defer { watcher.cancel() }
        return await found.next(timeout: timeout) ?? false
    }
}
