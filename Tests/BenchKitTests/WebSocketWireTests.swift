import BenchKit
import NIOCore
import Testing

@Suite struct WebSocketWireTests {
    @Test func aClientFrameHasAZeroMaskAndThePayloadAsItIs() {
        let frame = WebSocketWire.frame("40", masked: true)
        #expect(Array(frame.readableBytesView) == [0x81, 0x82, 0, 0, 0, 0, 0x34, 0x30])
    }

    @Test(arguments: [0, 125, 126, 65_535, 65_536])
    func lengthsRoundTripThroughTheReader(_ length: Int) throws {
        let text = String(repeating: "a", count: length)
        var reader = FrameReader()
        reader.append(WebSocketWire.frame(text, masked: false))
        let frame = try #require(try reader.next())
        #expect(frame.opcode == WebSocketWire.text)
        #expect(frame.payload.readableBytes == length)
        #expect(try reader.next() == nil)
    }

    @Test func framesSplitAcrossReadsComeOutWhole() throws {
        var bytes = WebSocketWire.frame("hello", masked: false)
        var second = WebSocketWire.frame("world", masked: true)
        bytes.writeBuffer(&second)
        var reader = FrameReader()
        var texts: [String] = []
        // Feed one byte at a time: a header or payload may end anywhere.
        while let byte = bytes.readSlice(length: 1) {
            reader.append(byte)
            while let frame = try reader.next() { texts.append(String(buffer: frame.payload)) }
        }
        #expect(texts == ["hello", "world"])
    }

    @Test func maskedPayloadsAreUnmasked() throws {
        var frame = ByteBuffer(bytes: [0x81, 0x82, 1, 2, 3, 4])
        frame.writeBytes([UInt8(ascii: "4") ^ 1, UInt8(ascii: "0") ^ 2])
        var reader = FrameReader()
        reader.append(frame)
        #expect(String(buffer: try #require(try reader.next()).payload) == "40")
    }

    @Test func aFrameOverTheLimitIsAProtocolError() {
        var reader = FrameReader(maxPayload: 10)
        reader.append(WebSocketWire.frame(String(repeating: "a", count: 11), masked: false))
        #expect(throws: FrameReader.ProtocolError.self) { try reader.next() }
    }

    @Test func theHeadOfAnHTTPResponseEndsAtTheBlankLine() {
        #expect(WebSocketWire.headEnd(ByteBuffer(string: "HTTP/1.1 101 OK\r\nA: b\r\n\r\nrest")) == 21)
        #expect(WebSocketWire.headEnd(ByteBuffer(string: "HTTP/1.1 101 OK\r\n")) == nil)
    }
}
