import EngineIOProtocol
import Testing
import SocketIOProtocol

@Suite struct SocketPacketTests {
    /// The text examples of §2.1 (and §2.3), without the Engine.IO `4`.
    static let textExamples: [(SocketPacket, String)] = [
        (.connect(), "0"),
        (.connect(["token": "123"]), #"0{"token":"123"}"#),
        (.connect(namespace: "/admin", ["token": "123"]), #"0/admin,{"token":"123"}"#),
        (.connect(["sid": "wZX3oN0bSVIhsaknAAAI"]), #"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#),
        (.connect(namespace: "/admin", ["sid": "oSO0OpakMV_3jnilAAAA"]), #"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#),
        (.connect(namespace: "/admin"), "0/admin,"),
        (.disconnect(), "1"),
        (.disconnect(namespace: "/admin"), "1/admin,"),
        (.event("foo", []), #"2["foo"]"#),
        (.event("bar", [], namespace: "/admin"), #"2/admin,["bar"]"#),
        (.event("foo", [], id: 12), #"212["foo"]"#),
        (.event("foo", [], namespace: "/admin", id: 13), #"2/admin,13["foo"]"#),
        (.event("echo", ["x"], id: 1), #"21["echo","x"]"#),
        (.event("hello", ["n", "Q8SJQPb"]), #"2["hello","n","Q8SJQPb"]"#),
        (.ack(12, ["bar"]), #"312["bar"]"#),
        (.ack(13, ["bar"], namespace: "/admin"), #"3/admin,13["bar"]"#),
        (.ack(1, []), "31[]"),
        (.ack(0, ["x"]), #"30["x"]"#),
        (.ack(456, [1, "2", ["3": [false]]]), #"3456[1,"2",{"3":[false]}]"#),
        (.connectError(message: "not authorized", data: ["reason": "bad token"]),
         #"4{"message":"not authorized","data":{"reason":"bad token"}}"#),
        (.connectError(namespace: "/nope", message: "Invalid namespace"), #"4/nope,{"message":"Invalid namespace"}"#),
        (SocketPacket(kind: .event, data: [1, "x"]), #"2[1,"x"]"#),
        (SocketPacket(kind: .connectError, namespace: "/random", data: "Unable to connect"), #"4/random,"Unable to connect""#),
    ]

    @Test(arguments: textExamples)
    func encodesTextExample(packet: SocketPacket, wire: String) {
        let encoded = packet.encoded()
        #expect(encoded.text == wire)
        #expect(encoded.attachments.isEmpty)
        #expect(encoded.enginePackets == [.message(wire)])
    }

    @Test func encodesMultiByteUTF8() {
        let encoded = SocketPacket.event("chat", ["héllo → wörld ✓", "👋🏽"], namespace: "/ñ").encoded()
        #expect(encoded.text == #"2/ñ,["chat","héllo → wörld ✓","👋🏽"]"#)
    }

    // MARK: Binary

    @Test func binaryEventWithOneAttachment() {
        let encoded = SocketPacket.event("baz", [.binary([1, 2, 3])]).encoded()
        #expect(encoded.text == #"51-["baz",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [[1, 2, 3]])
    }

    @Test func binaryEventWithTwoAttachmentsInNamespace() {
        let encoded = SocketPacket.event("baz", [.binary([1]), .binary([2, 3])], namespace: "/admin").encoded()
        #expect(encoded.text == #"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)
        #expect(encoded.attachments == [[1], [2, 3]])
    }

    @Test func binaryAck() {
        let encoded = SocketPacket.ack(15, ["bar", .binary([7])]).encoded()
        #expect(encoded.text == #"61-15["bar",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [[7]])
    }

    /// The WebSocket transcript of §4: `451-2["echo",…]` and the reply `461-2[…]`.
    @Test func binaryWithAckIdsFromTranscript() {
        #expect(SocketPacket.event("echo", [.binary([9, 8, 7])], id: 2).encoded().text
            == #"51-2["echo",{"_placeholder":true,"num":0}]"#)
        #expect(SocketPacket.ack(2, [.binary([9, 8, 7])]).encoded().text == #"61-2[{"_placeholder":true,"num":0}]"#)
    }

    /// The polling body of §4, built from the packet.
    @Test func enginePacketsFormTheObservedPollingBody() {
        let encoded = SocketPacket.event("hello", ["world", .binary([1, 2, 3])]).encoded()
        #expect(encoded.enginePackets == [.message(#"51-["hello","world",{"_placeholder":true,"num":0}]"#), .binary([1, 2, 3])])
        #expect(EnginePayload.encode(encoded.enginePackets)
            == #"451-["hello","world",{"_placeholder":true,"num":0}]"# + "\u{1e}bAQID")
    }

    @Test func binaryNestedDeepAndInArraysIsNumberedInDiscoveryOrder() {
        let deep: JSONValue = ["a": ["b": [["c": .binary([1])]]]]
        let packet = SocketPacket.event("deep", [deep, [[.binary([2]), "s"], .binary([3])], ["k": .binary([4])]])
        let encoded = packet.encoded()
        #expect(encoded.text == #"54-["deep",{"a":{"b":[{"c":{"_placeholder":true,"num":0}}]}},"#
            + #"[[{"_placeholder":true,"num":1},"s"],{"_placeholder":true,"num":2}],{"k":{"_placeholder":true,"num":3}}]"#)
        #expect(encoded.attachments == [[1], [2], [3], [4]])
        #expect(encoded.enginePackets.count == 5)
    }

    @Test func zeroLengthBuffer() {
        let encoded = SocketPacket.event("empty", [.binary([])]).encoded()
        #expect(encoded.text == #"51-["empty",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [[]])
        #expect(encoded.enginePackets == [.message(encoded.text), .binary([])])
    }

    @Test func moreThanTenAttachmentsAreEncoded() {
        let encoded = SocketPacket.event("many", (0..<12).map { .binary([UInt8($0)]) }).encoded()
        #expect(encoded.text.hasPrefix(#"512-["many",{"_placeholder":true,"num":0},"#))
        #expect(encoded.attachments.count == 12)
    }

    // MARK: Accessors

    @Test func eventNameAndArguments() {
        let event = SocketPacket.event("chat", ["hi", 2])
        #expect(event.eventName == "chat")
        #expect(event.arguments == ["hi", 2])
        #expect(SocketPacket(kind: .event, data: [42, "x"]).eventName == "42")
        let ack = SocketPacket.ack(3, ["a", "b"])
        #expect(ack.eventName == nil)
        #expect(ack.arguments == ["a", "b"])
        #expect(SocketPacket.connect().arguments == [])
    }

    @Test func reservedEventNames() {
        #expect(SocketPacket.reservedEventNames
            == ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"])
    }
}

@Suite struct SocketPacketBinaryOutsideEventsTests {
    @Test func binaryInAConnectIsWrittenAsBase64WithoutAttachments() throws {
        let encoded = SocketPacket.connect(["f": .binary([1, 2, 3])]).encoded()
        #expect(encoded.text == #"0{"f":"AQID"}"#)
        #expect(encoded.attachments.isEmpty)
        var decoder = SocketPacketDecoder()
        let decoded = try decoder.receive(text: encoded.text)
        #expect(decoded?.data?["f"] == "AQID")
    }
}
