/// Why a socket left its namespace; the strings are the reference server's.
public enum SocketDisconnectReason: String, Sendable, Hashable {
    case transportClose = "transport close"
    case transportError = "transport error"
    case pingTimeout = "ping timeout"
    case parseError = "parse error"
    case forcedClose = "forced close"
    case serverShuttingDown = "server shutting down"
    case forcedServerClose = "forced server close"
    /// The client sent DISCONNECT for the namespace.
    case clientNamespaceDisconnect = "client namespace disconnect"
    /// The server called ``Socket/disconnect(close:)``.
    case serverNamespaceDisconnect = "server namespace disconnect"

    init(_ reason: EngineCloseReason) {
        self = SocketDisconnectReason(rawValue: reason.rawValue) ?? .transportClose
    }
}
