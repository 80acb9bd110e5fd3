import Testing
import EngineIOProtocol

@Suite struct EnginePacketTests {
    static let handshake = EngineHandshake(
        sid: "6QHv55f4SGasSVBtAAAA", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1_000_000)

    /// Every text packet type, with its exact wire form (EIO §1.2).
    static let textPackets: [(String, EnginePacket)] = [
        (#"0{"sid":"6QHv55f4SGasSVBtAAAA","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#,
         .open(handshake)),
        ("1", .close),
        ("2", .ping()),
        ("2probe", .ping("probe")),
        ("3", .pong()),
        ("3probe", .pong("probe")),
        ("4hello", .message("hello")),
        ("4", .message("")),
        ("5", .upgrade),
        ("6", .noop),
    ]

    @Test(arguments: textPackets)
    func encodesTextPacket(wire: String, packet: EnginePacket) {
        #expect(packet.textEncoding == wire)
        #expect(packet.pollingEncoding == wire)
        #expect(packet.typeDigit == wire.first)
    }

    @Test(arguments: textPackets)
    func decodesTextPacket(wire: String, packet: EnginePacket) throws {
        #expect(try EnginePacket(text: wire) == packet)
    }

    @Test func binaryUsesBase64InPollingAndHasNoTextForm() {
        let packet = EnginePacket.binary([1, 2, 3, 4])
        #expect(packet.pollingEncoding == "bAQIDBA==")
        #expect(packet.textEncoding == nil)
        #expect(packet.typeDigit == nil)
        #expect(EnginePacket.binary([1, 2, 3]).pollingEncoding == "bAQID")
        #expect(EnginePacket.binary([]).pollingEncoding == "b")
    }

    @Test func decodesBase64Binary() throws {
        #expect(try EnginePacket(text: "bAQIDBA==") == .binary([1, 2, 3, 4]))
        #expect(try EnginePacket(text: "bAQID") == .binary([1, 2, 3]))
        #expect(try EnginePacket(text: "b") == .binary([]))
    }

    @Test func binaryRoundTripsEveryByteValue() throws {
        let bytes = (0...255).map(UInt8.init)
        let wire = EnginePacket.binary(bytes).pollingEncoding
        #expect(try EnginePacket(text: wire) == .binary(bytes))
    }

    @Test(arguments: ["héllo → wörld ✓", "👋🏽 hi 🇫🇷", "日本語\u{0}\n\"quoted\""])
    func multiByteUTF8MessageIsByteExact(text: String) throws {
        let wire = try #require(EnginePacket.message(text).textEncoding)
        #expect(Array(wire.utf8) == [UInt8(ascii: "4")] + Array(text.utf8))
        #expect(try EnginePacket(text: wire) == .message(text))
    }

    @Test func decodesFromSubstring() throws {
        let payload = "xx4hello"
        #expect(try EnginePacket(text: payload.dropFirst(2)) == .message("hello"))
    }

    @Test func emptyPacketIsAnError() {
        #expect(throws: EngineIOProtocolError.emptyPacket) { try EnginePacket(text: "") }
    }

    @Test(arguments: ["abc", "7", "9", "x4hello", " 4", "é"])
    func unknownTypeIsAnError(text: String) {
        #expect(throws: EngineIOProtocolError.unknownPacketType(text.utf8.first!)) { try EnginePacket(text: text) }
    }

    @Test func unknownTypeReportsTheByte() {
        #expect(throws: EngineIOProtocolError.unknownPacketType(UInt8(ascii: "a"))) { try EnginePacket(text: "abc") }
    }

    @Test(arguments: ["b!!!!", "bA", "bA===", "bAQIDBA=", "bAQ ID", "bAQIDBA==\n"])
    func invalidBase64IsAnError(text: String) {
        #expect(throws: EngineIOProtocolError.invalidBase64) { try EnginePacket(text: text) }
    }

    @Test(arguments: ["0", "0{}", "0not json", #"0{"sid":"x"}"#])
    func invalidOpenIsAnError(text: String) {
        #expect(throws: EngineIOProtocolError.invalidHandshake) { try EnginePacket(text: text) }
    }
}
