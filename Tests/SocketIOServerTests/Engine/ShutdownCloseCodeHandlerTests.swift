import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import SocketIOServer

/// WSCore's own close on a graceful shutdown (1000) leaves as 1001 once the server is shutting
/// down; everything else passes unchanged.
struct ShutdownCloseCodeHandlerTests {
    private func written(_ frame: WebSocketFrame, shuttingDown: Bool) throws -> WebSocketFrame? {
        let channel = EmbeddedChannel(handler: ShutdownCloseCodeHandler(isShuttingDown: { shuttingDown }))
        try channel.writeOutbound(frame)
        return try channel.readOutbound(as: WebSocketFrame.self)
    }

    private func close(_ code: WebSocketErrorCode, reason: String = "") -> WebSocketFrame {
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }

    @Test func aNormalCloseDuringShutdownBecomesGoingAwayAndKeepsItsReason() throws {
        var data = try #require(try written(close(.normalClosure, reason: "bye"), shuttingDown: true)).data
        #expect(data.readWebSocketErrorCode() == .goingAway)
        #expect(data.readString(length: data.readableBytes) == "bye")
    }

    @Test func aNormalCloseOutsideShutdownIsUnchanged() throws {
        var data = try #require(try written(close(.normalClosure), shuttingDown: false)).data
        #expect(data.readWebSocketErrorCode() == .normalClosure)
    }

    @Test func otherCodesAndOtherFramesPassUnchanged() throws {
        var data = try #require(try written(close(.protocolError), shuttingDown: true)).data
        #expect(data.readWebSocketErrorCode() == .protocolError)
        let text = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: "4hello"))
        #expect(try written(text, shuttingDown: true) == text)
    }
}
