@testable import MeetTUI
import SocketIOProtocol
import Testing

/// `meet watch`'s connection lines: the README's schema, no Swift descriptions.
@Suite struct ConnectionStatusTests {
    @Test func eachStateIsItsDocumentedLine() {
        #expect(ConnectionStatus.connected(transport: "websocket").json.jsonString == #"{"type":"connection","state":"connected","transport":"websocket"}"#)
        #expect(ConnectionStatus.reconnecting(attempt: 2, nextInMilliseconds: 1800).json.jsonString == #"{"type":"connection","state":"reconnecting","attempt":2,"inMs":1800}"#)
        #expect(ConnectionStatus.connecting.json.jsonString == #"{"type":"connection","state":"connecting"}"#)
        #expect(ConnectionStatus.offline(reason: "io server disconnect").json.jsonString == #"{"type":"connection","state":"offline","reason":"io server disconnect"}"#)
    }
}
