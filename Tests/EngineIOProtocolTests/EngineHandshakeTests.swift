import Testing
import EngineIOProtocol

@Suite struct EngineHandshakeTests {
    @Test func encodesKeysInReferenceOrder() {
        let handshake = EngineHandshake(sid: "x", upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1_000_000)
        #expect(handshake.json == #"{"sid":"x","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}"#)
    }

    @Test func encodesEmptyUpgradesForWebSocket() {
        let handshake = EngineHandshake(sid: "ofO806tvWUqLbxV5AAAC", upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1_000_000)
        #expect(EnginePacket.open(handshake).textEncoding
            == #"0{"sid":"ofO806tvWUqLbxV5AAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#)
    }

    @Test func parsesReferenceOrder() throws {
        let handshake = try EngineHandshake(json: #"{"sid":"x","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}"#)
        #expect(handshake == EngineHandshake(sid: "x", upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1_000_000))
    }

    /// python-engineio writes pingTimeout before pingInterval (§1.3).
    @Test func parsesPythonKeyOrder() throws {
        let json = #"{"sid": "Lbo5JLzTotvW3g2LAAAA", "upgrades": ["websocket"], "pingTimeout": 20000, "pingInterval": 25000, "maxPayload": 1000000}"#
        let handshake = try EngineHandshake(json: json)
        #expect(handshake.sid == "Lbo5JLzTotvW3g2LAAAA")
        #expect(handshake.upgrades == ["websocket"])
        #expect(handshake.pingInterval == 25000)
        #expect(handshake.pingTimeout == 20000)
        #expect(handshake.maxPayload == 1_000_000)
        #expect(handshake.json == #"{"sid":"Lbo5JLzTotvW3g2LAAAA","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#)
    }

    @Test func missingOptionalKeysGetDefaultsAndUnknownKeysAreIgnored() throws {
        let handshake = try EngineHandshake(json: #"{"extra":[1,{"a":null}],"pingTimeout":5,"sid":"s","pingInterval":10}"#)
        #expect(handshake == EngineHandshake(sid: "s", upgrades: [], pingInterval: 10, pingTimeout: 5, maxPayload: 1_000_000))
    }

    @Test func escapesSidAndRoundTrips() throws {
        let handshake = EngineHandshake(sid: "a\"b\\c\u{1}é", upgrades: ["websocket"], pingInterval: 1, pingTimeout: 2, maxPayload: 3)
        #expect(handshake.json.hasPrefix(#"{"sid":"a\"b\\c\u0001é","#))
        #expect(try EngineHandshake(json: handshake.json) == handshake)
    }

    @Test(arguments: [
        "", "{}", "not json", "[]",
        #"{"upgrades":[],"pingInterval":1,"pingTimeout":2}"#,
        #"{"sid":"x","upgrades":[],"pingTimeout":2}"#,
        #"{"sid":"x","upgrades":[],"pingInterval":1}"#,
        #"{"sid":1,"pingInterval":1,"pingTimeout":2}"#,
        #"{"sid":"x","pingInterval":"1","pingTimeout":2}"#,
    ])
    func rejectsIncompleteHandshake(json: String) {
        #expect(throws: EngineIOProtocolError.invalidHandshake) { try EngineHandshake(json: json) }
    }
}
