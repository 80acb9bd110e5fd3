import SocketIOClient

extension SocketIOClient {
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
