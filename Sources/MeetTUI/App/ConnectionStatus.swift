/// The live connection as the status line shows it.
public enum ConnectionStatus: Sendable, Hashable {
    case connecting
    case connected(transport: String)
    case reconnecting(attempt: Int, nextInSeconds: Int)
    case offline(reason: String)

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }
}
