// A server for the official Engine.IO / Socket.IO protocol test suites:
//   swift run socketio-conformance-server --port 3000
// then point the suites at http://localhost:3000 (Engine.IO at /engine.io/, Socket.IO at /socket.io/).
import Foundation
import Hummingbird
import SocketIOConformance

let arguments = CommandLine.arguments
var port = 3000
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    port = value
} else if arguments.count > 1 {
    FileHandle.standardError.write(Data("usage: socketio-conformance-server [--port N]   (default 3000; 0 picks a free port)\n".utf8))
    exit(2)
}

let app = ConformanceServer.makeApplication(port: port) { bound in
    FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(bound)\n".utf8))
}
try await app.runService()
