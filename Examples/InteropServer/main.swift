// The server the python-socketio interop suite (Tests/interop) runs against:
//   swift run socketio-interop-server --port 5001 [--recovery]
// The handlers are InteropHandlers (SocketIOConformance): / with auth token "secret", and /admin.
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import SocketIOConformance
import SocketIOServer

var arguments = Array(CommandLine.arguments.dropFirst())
var port = 5001
var recovery = false
if let index = arguments.firstIndex(of: "--recovery") {
    recovery = true
    arguments.remove(at: index)
}
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    port = value
    arguments.removeSubrange(index...(index + 1))
}
guard arguments.isEmpty else {
    FileHandle.standardError.write(Data("usage: socketio-interop-server [--port N] [--recovery]   (port 5001 by default, 0 picks a free one; --recovery turns connection state recovery on)\n".utf8))
    exit(2)
}

var configuration = SocketIOConfiguration()
configuration.engine.maxPayload = 100_000
configuration.engine.cors = .anyOrigin
configuration.connectionStateRecovery = recovery ? ConnectionStateRecovery() : nil
let io = SocketIOServer(configuration: configuration)
InteropHandlers.install(on: io)

let router = Router(context: SocketIORequestContext.self)
io.addRoutes(to: router)
let app = Application(
    router: router,
    server: .socketIO(io.engine, configuration: io.webSocketConfiguration),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? 0
        FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(bound)\n".utf8))
    }
)
try await app.runService()
