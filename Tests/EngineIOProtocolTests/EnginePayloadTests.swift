import FuzzSupport
import Testing
import EngineIOProtocol

@Suite struct EnginePayloadTests {
    @Test func separatorIsRecordSeparator() {
        #expect(EnginePayload.separator == "\u{1e}")
    }

    @Test func encodesTextPayload() {
        let payload = EnginePayload.encode([.message("hello"), .ping(), .message("world")])
        #expect(payload == "4hello\u{1e}2\u{1e}4world")
        #expect(Array(payload.utf8) == Array("4hello".utf8) + [0x1E, 0x32, 0x1E] + Array("4world".utf8))
    }

    @Test func decodesTextPayload() throws {
        #expect(try EnginePayload.decode("4hello\u{1e}2\u{1e}4world") == [.message("hello"), .ping(), .message("world")])
    }

    @Test func encodesMixedPayload() {
        #expect(EnginePayload.encode([.message("hello"), .binary([1, 2, 3, 4])]) == "4hello\u{1e}bAQIDBA==")
    }

    @Test func decodesMixedPayload() throws {
        #expect(try EnginePayload.decode("4hello\u{1e}bAQIDBA==") == [.message("hello"), .binary([1, 2, 3, 4])])
    }

    /// The observed polling body of §4 (the Socket.IO text rides inside `4` messages).
    @Test func decodesObservedPollingBody() throws {
        let body = #"40{"sid":"bMgSJ3mR29ns-uE4AAAA"}"# + "\u{1e}" + #"451-["hello","world",{"_placeholder":true,"num":0}]"# + "\u{1e}bAQID"
        let packets = try EnginePayload.decode(body)
        #expect(packets == [
            .message(#"0{"sid":"bMgSJ3mR29ns-uE4AAAA"}"#),
            .message(#"51-["hello","world",{"_placeholder":true,"num":0}]"#),
            .binary([1, 2, 3]),
        ])
        #expect(EnginePayload.encode(packets) == body)
    }

    @Test func singlePacketPayloadHasNoSeparator() throws {
        #expect(EnginePayload.encode([.noop]) == "6")
        #expect(try EnginePayload.decode("6") == [.noop])
        #expect(EnginePayload.encode([.message("a"), .close]) == "4a\u{1e}1")
    }

    @Test func multiByteUTF8RoundTrips() throws {
        let packets: [EnginePacket] = [.message("héllo → wörld ✓"), .message("👋🏽🇫🇷"), .binary(Array("✓".utf8))]
        let payload = EnginePayload.encode(packets)
        #expect(payload == "4héllo → wörld ✓\u{1e}4👋🏽🇫🇷\u{1e}b4pyT")
        #expect(try EnginePayload.decode(payload) == packets)
        #expect(try EnginePayload.decode(Substring(payload)) == packets)
    }

    @Test func emptyPayloadEncodesToEmptyString() {
        #expect(EnginePayload.encode([]) == "")
    }

    @Test(arguments: ["", "\u{1e}", "4a\u{1e}", "\u{1e}4a", "4a\u{1e}\u{1e}4b"])
    func emptyRecordIsAnError(payload: String) {
        #expect(throws: EngineIOProtocolError.emptyPacket) { try EnginePayload.decode(payload) }
    }

    @Test func unknownTypeInAnyRecordIsAnError() {
        #expect(throws: EngineIOProtocolError.unknownPacketType(UInt8(ascii: "a"))) {
            try EnginePayload.decode("4hello\u{1e}abc\u{1e}4world")
        }
    }

    @Test func invalidBase64RecordIsAnError() {
        #expect(throws: EngineIOProtocolError.invalidBase64) { try EnginePayload.decode("4hello\u{1e}b!!!!") }
    }

    /// Random strings and mutated valid payloads: decode must return or throw, never crash, and
    /// whatever it returns must encode and decode to the same packets.
    @Test func fuzzDecodeNeverCrashesAndRoundTrips() throws {
        var random = SplitMix64(seed: 0xE16_0001)
        let alphabet: [Character] = Array("0123456bxa4=+/AQIDBé✓👋\u{1e}{}[]\":,") + ["\u{1e}", "\u{1e}"]
        let seeds = [
            "4hello\u{1e}2\u{1e}4world", "4hello\u{1e}bAQIDBA==", "2probe\u{1e}3probe\u{1e}5\u{1e}6\u{1e}1",
            "4héllo → wörld ✓\u{1e}4👋🏽", EnginePayload.encode([.open(EnginePacketTests.handshake), .message("x")]),
        ]
        let insertions: [Character] = Array("-/,0123456789[]{}b=\u{1e}")
        var inputs: [String] = (0..<5_000).map { _ in random.string(from: alphabet, maxLength: 24) }
        inputs += (0..<5_000).map { _ in random.mutate(seeds.randomElement(using: &random)!, insertions: insertions) }
        var decodedCount = 0
        for input in inputs {
            guard let packets = try? EnginePayload.decode(input) else { continue }
            decodedCount += 1
            let again = try EnginePayload.decode(EnginePayload.encode(packets))
            #expect(again == packets, "input: \(input.debugDescription)")
        }
        #expect(decodedCount > 100)
    }
}
