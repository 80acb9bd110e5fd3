import SocketIOProtocol

/// The live connection as the status line and `meet watch` show it.
public enum ConnectionStatus: Sendable, Hashable {
    case connecting
    case connected(transport: String)
    case reconnecting(attempt: Int, nextInMilliseconds: Int)
    case offline(reason: String)

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }

    /// `meet watch`'s line: `{"type":"connection","state":"connected","transport":"websocket"}`,
    /// `{"type":"connection","state":"reconnecting","attempt":2,"inMs":1800}`,
    /// `{"type":"connection","state":"connecting"}`, `{"type":"connection","state":"offline","reason":"…"}`.
    public var json: JSONValue {
        switch self {
        case .connecting:
            ["type": "connection", "state": "connecting"]
        case .connected(let transport):
            ["type": "connection", "state": "connected", "transport": .string(transport)]
        case .reconnecting(let attempt, let milliseconds):
            ["type": "connection", "state": "reconnecting", "attempt": .number(JSONNumber(attempt)), "inMs": .number(JSONNumber(milliseconds))]
        case .offline(let reason):
            ["type": "connection", "state": "offline", "reason": .string(reason)]
        }
    }
}
