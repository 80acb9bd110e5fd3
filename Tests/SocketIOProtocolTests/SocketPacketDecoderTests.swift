import FuzzSupport
import Testing
import SocketIOProtocol

@Suite struct SocketPacketDecoderTests {
    /// Decodes one text message with a fresh decoder.
    static func decode(_ text: String) throws(SocketIOProtocolError) -> SocketPacket? {
        var decoder = SocketPacketDecoder()
        return try decoder.receive(text: text)
    }

    /// The error a fresh decoder throws for these messages (text, then binaries), or nil.
    static func error(_ text: String, binaries: [[UInt8]] = []) -> SocketIOProtocolError? {
        var decoder = SocketPacketDecoder()
        do {
            _ = try decoder.receive(text: text)
            for binary in binaries { _ = try decoder.receive(binary: binary) }
            return nil
        } catch {
            return error
        }
    }

    // MARK: Text examples

    static let textExamples: [(String, SocketPacket)] = [
        ("0", .connect()),
        (#"0{"token":"123"}"#, .connect(["token": "123"])),
        (#"0/admin,{"token":"123"}"#, .connect(namespace: "/admin", ["token": "123"])),
        (#"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, .connect(["sid": "wZX3oN0bSVIhsaknAAAI"])),
        ("0/custom", .connect(namespace: "/custom")),
        ("0/admin,", .connect(namespace: "/admin")),
        ("1", .disconnect()),
        ("1/admin,", .disconnect(namespace: "/admin")),
        ("1/custom", .disconnect(namespace: "/custom")),
        (#"2["foo"]"#, .event("foo", [])),
        (#"2/admin,["bar"]"#, .event("bar", [], namespace: "/admin")),
        (#"212["foo"]"#, .event("foo", [], id: 12)),
        (#"2/admin,13["foo"]"#, .event("foo", [], namespace: "/admin", id: 13)),
        (#"20["echo","x",{"a":[1.5,null]}]"#, .event("echo", ["x", ["a": [1.5, nil]]], id: 0)),
        (#"2[1,"x"]"#, SocketPacket(kind: .event, data: [1, "x"])),
        (#"2["héllo → wörld ✓","👋🏽"]"#, .event("héllo → wörld ✓", ["👋🏽"])),
        (#"2/ñ,["chat","👋🏽"]"#, .event("chat", ["👋🏽"], namespace: "/ñ")),
        (#"312["bar"]"#, .ack(12, ["bar"])),
        (#"3/admin,13["bar"]"#, .ack(13, ["bar"], namespace: "/admin")),
        ("31[]", .ack(1, [])),
        ("31", .ack(1, [])),
        (#"4{"message":"not authorized","data":{"reason":"bad token"}}"#,
         .connectError(message: "not authorized", data: ["reason": "bad token"])),
        (#"4/nope,{"message":"Invalid namespace"}"#, .connectError(namespace: "/nope", message: "Invalid namespace")),
        (#"4/random,"Unable to connect""#, SocketPacket(kind: .connectError, namespace: "/random", data: "Unable to connect")),
    ]

    @Test(arguments: textExamples)
    func decodesTextExample(wire: String, packet: SocketPacket) throws {
        #expect(try Self.decode(wire) == packet)
    }

    @Test(arguments: SocketPacketTests.textExamples)
    func decodesWhatTheEncoderWrites(packet: SocketPacket, wire: String) throws {
        #expect(try Self.decode(packet.encoded().text) == packet)
    }

    // MARK: Binary reassembly

    @Test func binaryEventWaitsForItsAttachment() throws {
        var decoder = SocketPacketDecoder()
        #expect(try decoder.receive(text: #"51-["baz",{"_placeholder":true,"num":0}]"#) == nil)
        #expect(decoder.isAwaitingAttachments)
        let packet = try decoder.receive(binary: [1, 2, 3])
        #expect(packet == SocketPacket(kind: .binaryEvent, data: ["baz", .binary([1, 2, 3])]))
        #expect(packet?.eventName == "baz")
        #expect(!decoder.isAwaitingAttachments)
        #expect(try decoder.receive(text: #"2["next"]"#) == .event("next", []))
    }

    @Test func twoAttachmentsInNamespaceOverSeveralCalls() throws {
        var decoder = SocketPacketDecoder()
        let header = #"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#
        #expect(try decoder.receive(text: header) == nil)
        #expect(try decoder.receive(binary: [1]) == nil)
        #expect(decoder.isAwaitingAttachments)
        let packet = try decoder.receive(binary: [2, 3])
        #expect(packet == SocketPacket(kind: .binaryEvent, namespace: "/admin", data: ["baz", .binary([1]), .binary([2, 3])]))
    }

    @Test func placeholdersMayReferToAttachmentsOutOfOrder() throws {
        var decoder = SocketPacketDecoder()
        _ = try decoder.receive(text: #"52-["x",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]"#)
        _ = try decoder.receive(binary: [0xA])
        #expect(try decoder.receive(binary: [0xB])?.arguments == [.binary([0xB]), .binary([0xA])])
    }

    @Test func binaryAck() throws {
        var decoder = SocketPacketDecoder()
        #expect(try decoder.receive(text: #"61-15["bar",{"_placeholder":true,"num":0}]"#) == nil)
        #expect(try decoder.receive(binary: [7]) == SocketPacket(kind: .binaryAck, id: 15, data: ["bar", .binary([7])]))
    }

    @Test func binaryNestedDeepAndInArrays() throws {
        let original = SocketPacket.event("deep", [["a": ["b": [["c": .binary([1])]]]], [[.binary([2])], .binary([])]])
        let encoded = original.encoded()
        var decoder = SocketPacketDecoder()
        var result = try decoder.receive(text: encoded.text)
        for attachment in encoded.attachments { result = try decoder.receive(binary: attachment) }
        var expected = original
        expected.kind = .binaryEvent
        #expect(result == expected)
    }

    @Test func zeroLengthBuffer() throws {
        var decoder = SocketPacketDecoder()
        _ = try decoder.receive(text: #"51-["empty",{"_placeholder":true,"num":0}]"#)
        #expect(try decoder.receive(binary: []) == SocketPacket(kind: .binaryEvent, data: ["empty", .binary([])]))
    }

    @Test func zeroAttachmentsCompleteImmediately() throws {
        #expect(try Self.decode(#"50-["x"]"#) == SocketPacket(kind: .binaryEvent, data: ["x"]))
    }

    @Test func placeholdersInPlainEventsStayJSON() throws {
        let packet = try Self.decode(#"2["x",{"_placeholder":true,"num":0}]"#)
        #expect(packet?.arguments == [["_placeholder": true, "num": 0]])
    }

    @Test func tenAttachmentsAreAllowed() throws {
        var decoder = SocketPacketDecoder()
        let placeholders = (0..<10).map { #"{"_placeholder":true,"num":\#($0)}"# }.joined(separator: ",")
        #expect(try decoder.receive(text: #"510-["many","# + placeholders + "]") == nil)
        for index in 0..<9 { #expect(try decoder.receive(binary: [UInt8(index)]) == nil) }
        #expect(try decoder.receive(binary: [9])?.arguments == (0..<10).map { .binary([UInt8($0)]) })
    }

    @Test func resetForgetsAPartialPacket() throws {
        var decoder = SocketPacketDecoder()
        _ = try decoder.receive(text: #"51-["x",{"_placeholder":true,"num":0}]"#)
        decoder.reset()
        #expect(!decoder.isAwaitingAttachments)
        #expect(try decoder.receive(text: "0") == .connect())
    }

    // MARK: Rejections

    @Test(arguments: ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"])
    func reservedEventNamesAreRejected(name: String) {
        #expect(Self.error(#"2[""# + name + #""]"#) == .reservedEventName(name))
        #expect(Self.error(#"2/admin,7[""# + name + #"",1]"#) == .reservedEventName(name))
        #expect(Self.error(#"51-[""# + name + #"",{"_placeholder":true,"num":0}]"#) == .reservedEventName(name))
    }

    @Test(arguments: [
        "2{}", "2[]", "2", "2/admin,", "212", #"2"foo""#, "2[null]", "2[true]", "2[{}]", #"2[["a"]]"#,
        #"0["x"]"#, #"0"x""#, "0 1", "1{}", "1[]", #"1/admin,{"a":1}"#, #"1"x""#, "3{}", #"3"x""#,
        "4", "4[1]", "4 1", "4null", #"50-{}"#, "61-{}",
    ])
    func invalidPayloadsAreRejected(text: String) {
        let error = Self.error(text)
        guard case .invalidPayload? = error else {
            Issue.record("\(text): expected invalidPayload, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: [#"2abc["x"]"#, #"2["x""#, #"2["x",]"#, #"0{"a":1,}"#, #"2/admin,abc"#, #"21["x"]]"#, #"3[01]"#])
    func invalidJSONIsRejected(text: String) {
        let error = Self.error(text)
        guard case .invalidJSON? = error else {
            Issue.record("\(text): expected invalidJSON, got \(String(describing: error))")
            return
        }
    }

    @Test func tooManyAttachmentsAreRejected() {
        let placeholders = (0..<11).map { #"{"_placeholder":true,"num":\#($0)}"# }.joined(separator: ",")
        #expect(Self.error(#"511-["x","# + placeholders + "]") == .tooManyAttachments(count: 11, limit: 10))
        #expect(Self.error(#"6999999-[]"#) == .tooManyAttachments(count: 999_999, limit: 10))
        var strict = SocketPacketDecoder(maxAttachments: 2)
        #expect(throws: SocketIOProtocolError.tooManyAttachments(count: 3, limit: 2)) { try strict.receive(text: #"53-["x"]"# ) }
    }

    @Test(arguments: [#"5["x"]"#, #"5-["x"]"#, #"5a-["x"]"#, #"51["x"]"#, "5", "51", #"5-1-["x"]"#, #"51234567-["x"]"#, #"6x-[]"#])
    func invalidAttachmentCountsAreRejected(text: String) {
        #expect(Self.error(text) == .invalidAttachmentCount)
    }

    @Test(arguments: [
        #"{"_placeholder":true,"num":1}"#, #"{"_placeholder":true,"num":-1}"#, #"{"_placeholder":true,"num":0.5}"#,
        #"{"_placeholder":true,"num":"0"}"#, #"{"_placeholder":true}"#, #"{"_placeholder":true,"num":null}"#,
        #"{"_placeholder":true,"num":99999999999999999999}"#,
    ])
    func badPlaceholderNumIsRejected(placeholder: String) {
        #expect(Self.error(#"51-["x","# + placeholder + "]", binaries: [[1]]) == .invalidPlaceholder)
    }

    @Test func placeholderWithNoAttachmentsIsRejected() {
        #expect(Self.error(#"50-["x",{"_placeholder":true,"num":0}]"#) == .invalidPlaceholder)
    }

    @Test func textWhileAwaitingBinaryIsRejected() throws {
        var decoder = SocketPacketDecoder()
        _ = try decoder.receive(text: #"52-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)
        _ = try decoder.receive(binary: [1])
        #expect(throws: SocketIOProtocolError.unexpectedText) { try decoder.receive(text: #"2["y"]"#) }
        #expect(!decoder.isAwaitingAttachments)
        #expect(throws: SocketIOProtocolError.unexpectedBinary) { try decoder.receive(binary: [2]) }
    }

    @Test func binaryWithNoHeaderIsRejected() throws {
        var decoder = SocketPacketDecoder()
        #expect(throws: SocketIOProtocolError.unexpectedBinary) { try decoder.receive(binary: [1, 2, 3]) }
        _ = try decoder.receive(text: #"2["x"]"#)
        #expect(throws: SocketIOProtocolError.unexpectedBinary) { try decoder.receive(binary: []) }
    }

    @Test func binaryAfterACompletePacketIsRejected() {
        #expect(Self.error(#"51-["x",{"_placeholder":true,"num":0}]"#, binaries: [[1], [2]]) == .unexpectedBinary)
    }

    @Test(arguments: ["7", #"7["x"]"#, "9", "a", "x0", " 0", "/0", "-", "é"])
    func unknownTypeIsRejected(text: String) {
        #expect(Self.error(text) == .unknownPacketType)
    }

    @Test func emptyStringIsRejected() {
        #expect(Self.error("") == .emptyPacket)
    }

    @Test(arguments: ["0/admin,1{}", "01", "11", "1/admin,5", #"4/nope,3{"message":"x"}"#, #"21234567890123456["x"]"#])
    func badAckIdIsRejected(text: String) {
        #expect(Self.error(text) == .invalidAckId)
    }

    // MARK: Fuzz

    static let validMessages: [[String]] = [
        ["0"], [#"0{"token":"123"}"#], [#"0/admin,{"token":"123"}"#], ["0/custom"], ["1"], ["1/admin,"],
        [#"2["foo"]"#], [#"2/admin,["bar"]"#], [#"212["foo"]"#], [#"2/admin,13["foo"]"#], [#"312["bar"]"#],
        [#"3/admin,13["bar"]"#], ["31[]"], [#"4{"message":"not authorized","data":{"reason":"bad token"}}"#],
        [#"51-["baz",{"_placeholder":true,"num":0}]"#, "\u{1}\u{2}\u{3}"],
        [#"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, "\u{1}", ""],
        [#"61-15["bar",{"_placeholder":true,"num":0}]"#, "\u{9}\u{8}"],
        [#"51-2["deep",{"a":[{"b":{"c":{"_placeholder":true,"num":0}}}]}]"#, "x"],
    ]

    /// Feeds text then binaries to a fresh decoder; returns the packets it produced.
    static func feed(_ text: String, binaries: [[UInt8]]) -> [SocketPacket] {
        var decoder = SocketPacketDecoder()
        var packets: [SocketPacket] = []
        do {
            if let packet = try decoder.receive(text: text) { packets.append(packet) }
            for binary in binaries {
                if let packet = try decoder.receive(binary: binary) { packets.append(packet) }
            }
        } catch {}
        return packets
    }

    /// Encodes the packet and decodes it again (with no attachment limit: re-encoding can number
    /// a repeated placeholder twice).
    static func roundTrip(_ packet: SocketPacket) throws -> SocketPacket? {
        let encoded = packet.encoded()
        var decoder = SocketPacketDecoder(maxAttachments: 1_000_000)
        var result = try decoder.receive(text: encoded.text)
        for attachment in encoded.attachments { result = try decoder.receive(binary: attachment) }
        return result
    }

    @Test func fuzzNeverCrashesAndRoundTrips() throws {
        var random = SplitMix64(seed: 0x510_0001)
        let alphabet: [Character] = Array(#"0123456789-/,[]{}"_:aceimnoprstuvx élru"#)
        let insertions: [Character] = Array("-/,0123456789[]{}")
        var inputs: [(String, [[UInt8]])] = []
        for _ in 0..<5_000 {
            let binaries = (0..<Int.random(in: 0...3, using: &random)).map { _ in [UInt8.random(in: 0...255, using: &random)] }
            inputs.append((random.string(from: alphabet, maxLength: 24), binaries))
        }
        for _ in 0..<5_000 {
            let messages = Self.validMessages.randomElement(using: &random)!
            let binaries = messages.dropFirst().map { Array($0.utf8) } + (Bool.random(using: &random) ? [[0xFF]] : [])
            inputs.append((random.mutate(messages[0], insertions: insertions), binaries))
        }
        var decodedCount = 0
        for (text, binaries) in inputs {
            for packet in Self.feed(text, binaries: binaries) {
                decodedCount += 1
                #expect(try Self.roundTrip(packet) == packet, "input: \(text.debugDescription) + \(binaries)")
            }
        }
        #expect(decodedCount > 500)
    }

    @Test func fuzzInterleavedTextAndBinaryNeverCrashes() throws {
        var random = SplitMix64(seed: 0x510_0002)
        var decoder = SocketPacketDecoder()
        let texts = Self.validMessages.map { $0[0] }
        for _ in 0..<5_000 {
            let packet: SocketPacket?
            do {
                packet = if Bool.random(using: &random) {
                    try decoder.receive(text: random.mutate(texts.randomElement(using: &random)!, insertions: ["-", "1", "/"]))
                } else {
                    try decoder.receive(binary: [UInt8.random(in: 0...255, using: &random)])
                }
            } catch {
                continue
            }
            if let packet { #expect(try Self.roundTrip(packet) == packet) }
        }
    }
}
