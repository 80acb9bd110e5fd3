// The server the python-socketio interop suite (Tests/interop) runs against:
//   swift run socketio-interop-server --port 5001
// The handlers are InteropHandlers (SocketIOConformance): / with auth token "secret", and /admin.
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import SocketIOConformance
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
InteropHandlers.install(on: io)

let router = Router(context: SocketIORequestContext.self)
let webSocketRouter = Router(context: SocketIORequestContext.self)
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
