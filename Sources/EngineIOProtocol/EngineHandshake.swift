import Foundation

/// The JSON carried by the `open` packet.
///
/// Encoded with exactly the five keys of the reference server, in its order:
/// `{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`.
public struct EngineHandshake: Sendable, Hashable {
    /// The Engine.IO session id.
    public var sid: String
    /// Transports the client may upgrade to: `["websocket"]` on polling, `[]` on WebSocket.
    public var upgrades: [String]
    /// Milliseconds between two server pings.
    public var pingInterval: Int
    /// Milliseconds the server waits for a pong.
    public var pingTimeout: Int
    /// The largest payload, in bytes, the server accepts.
    public var maxPayload: Int

    /// Creates a handshake.
    public init(sid: String, upgrades: [String], pingInterval: Int, pingTimeout: Int, maxPayload: Int) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// The compact JSON form, as the reference server writes it.
    public var json: String {
        let upgradeList = upgrades.map { "\"\(Self.escape($0))\"" }.joined(separator: ",")
        return "{\"sid\":\"\(Self.escape(sid))\",\"upgrades\":[\(upgradeList)],"
            + "\"pingInterval\":\(pingInterval),\"pingTimeout\":\(pingTimeout),\"maxPayload\":\(maxPayload)}"
    }

    /// Parses the handshake JSON, in any key order; unknown keys are ignored.
    public init(json: String) throws(EngineIOProtocolError) {
        struct Wire: Decodable {
            var sid: String
            var upgrades: [String]?
            var pingInterval: Int
            var pingTimeout: Int
            var maxPayload: Int?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(json.utf8)) else { throw .invalidHandshake }
        self.init(
            sid: wire.sid,
            upgrades: wire.upgrades ?? [],
            pingInterval: wire.pingInterval,
            pingTimeout: wire.pingTimeout,
            maxPayload: wire.maxPayload ?? 1_000_000
        )
    }

    /// Escapes the characters JSON requires in a string (ids are URL-safe, so this is a safeguard).
    private static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
