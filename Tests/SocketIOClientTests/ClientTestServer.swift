import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport

/// The handlers the client tests talk to (the same as python's reference server for interop):
/// `/` needs auth `{"token":"secret"}`; `/admin` takes anyone.
enum ClientTestServer {
    static func configure(_ io: SocketIOServer) {
        let main = io.of("/")
        main.use { socket in
            guard socket.handshake.auth["token"] == "secret" else {
                throw SocketIOConnectError("bad token", data: ["code": 401])
            }
        }
        main.on("echo") { _, arguments, ack in ack?.send(arguments: arguments) }
        main.on("bin") { socket, arguments, ack in
            guard case .binary(let bytes)? = arguments.first else { return }
            socket.emit("bin-back", arguments: [["raw": .binary(bytes), "len": .number(JSONNumber(bytes.count))]])
            ack?.send(arguments: [.binary(bytes)])
        }
        main.on("join") { socket, arguments, ack in
            let room = arguments.first?.stringValue ?? ""
            await socket.join(room)
            await main.to(room).emit("room-msg", arguments: [["room": .string(room), "joined": .string(socket.id)]])
            ack?.send(arguments: [.string("joined " + room)])
        }
        main.on("ask-client") { socket, arguments, ack in
            let answer = try await socket.emitWithAck("question", arguments: [arguments.first ?? .null], timeout: .seconds(5))
            ack?.send(arguments: [["client-said": answer.first ?? .null]])
        }
        main.on("big") { socket, arguments, _ in
            let size = arguments.first?.intValue ?? 0
            socket.emit("big-back", arguments: [.string(String(repeating: "z", count: size))])
        }
        main.on("silence") { _, _, _ in }
        io.of("/admin").on("whoami") { socket, _, ack in ack?.send(arguments: [.string(socket.namespace.name)]) }
    }
}
