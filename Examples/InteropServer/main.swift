// The server the python-socketio interop suite (Tests/interop) runs against:
//   swift run socketio-interop-server --port 5001
// Namespaces / (auth token "secret") and /admin; events echo, bin, join, ask-client, broadcast, big.
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import SocketIOProtocol
import SocketIOServer

let arguments = CommandLine.arguments
var port = 5001
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    port = value
} else if arguments.count > 1 {
    FileHandle.standardError.write(Data("usage: socketio-interop-server [--port N]   (default 5001; 0 picks a free port)\n".utf8))
    exit(2)
}

var configuration = SocketIOConfiguration()
configuration.engine.maxPayload = 100_000
configuration.engine.cors = .anyOrigin
let io = SocketIOServer(configuration: configuration)
let main = io.of("/")
main.use { socket in
    guard socket.handshake.auth["token"] == "secret" else {
        throw SocketIOConnectError("bad token", data: ["code": 401])
    }
}
main.on("echo") { _, arguments, ack in
    ack?.send(arguments: arguments)
}
main.on("bin") { socket, arguments, ack in
    guard case .binary(let bytes)? = arguments.first else { return }
    socket.emit("bin-back", arguments: [["raw": .binary(bytes), "len": .number(JSONNumber(bytes.count))]])
    ack?.send(arguments: [.binary(bytes)])
}
main.on("join") { socket, arguments, ack in
    guard let room = arguments.first?.stringValue else { return }
    await socket.join(room)
    await main.to(room).emit("room-msg", arguments: [["room": .string(room), "joined": .string(socket.id)]])
    ack?.send(arguments: [.string("joined " + room)])
}
main.on("ask-client") { socket, arguments, ack in
    let answer = try await socket.emitWithAck("question", arguments: [arguments.first ?? .null], timeout: .seconds(5))
    ack?.send(arguments: [["client-said": answer.first ?? .null]])
}
main.on("broadcast") { socket, arguments, ack in
    guard let room = arguments.first?.stringValue else { return }
    await socket.to(room).emit("room-broadcast", arguments: [arguments.count > 1 ? arguments[1] : .null])
    ack?.send(arguments: ["sent"])
}
main.on("big") { _, arguments, ack in
    ack?.send(arguments: [.number(JSONNumber(arguments.first?.stringValue?.count ?? -1))])
}
_ = io.of("/admin")

let router = Router(context: BasicWebSocketRequestContext.self)
let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
io.addRoutes(to: router, webSocketRouter: webSocketRouter)
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter, configuration: io.webSocketConfiguration),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? 0
        FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(bound)\n".utf8))
    }
)
try await app.runService()
