import SocketIOProtocol
import SocketIOServer

/// The handlers of the interop peers (protocol reference §6.4), installed on our server for
/// python-socketio's client and for our own client's tests.
///
/// `/` accepts only auth `{"token":"secret"}` (else CONNECT_ERROR `bad token`, data
/// `{"code":401}`); `/admin` accepts anyone.
public enum InteropHandlers {
    /// Installs the handlers on `io`.
    public static func install(on io: SocketIOServer) {
        let main = io.of("/")
        main.use { socket in
            guard socket.handshake.auth["token"] == "secret" else {
                throw SocketIOConnectError("bad token", data: ["code": 401])
            }
        }
        // Acks with its arguments.
        main.on("echo") { _, arguments, ack in ack?.send(arguments: arguments) }
        // Emits `bin-back {raw, len}` to the sender and acks with the same bytes.
        main.on("bin") { socket, arguments, ack in
            guard case .binary(let bytes)? = arguments.first else { return }
            socket.emit("bin-back", arguments: [["raw": .binary(bytes), "len": .number(JSONNumber(bytes.count))]])
            ack?.send(arguments: [.binary(bytes)])
        }
        // Joins the room, tells the room `room-msg {room, joined}`, acks `joined <room>`.
        main.on("join") { socket, arguments, ack in
            let room = arguments.first?.stringValue ?? ""
            await socket.join(room)
            await main.to(room).emit("room-msg", arguments: [["room": .string(room), "joined": .string(socket.id)]])
            ack?.send(arguments: [.string("joined " + room)])
        }
        // Asks the client `question` (with an ack) and acks `{"client-said": answer}`.
        main.on("ask-client") { socket, arguments, ack in
            let answer = try await socket.emitWithAck("question", arguments: [arguments.first ?? .null], timeout: .seconds(5))
            ack?.send(arguments: [["client-said": answer.first ?? .null]])
        }
        // Sends `room-broadcast <msg>` to the room, except the sender; acks `sent`.
        main.on("broadcast") { socket, arguments, ack in
            guard let room = arguments.first?.stringValue else { return }
            await socket.to(room).emit("room-broadcast", arguments: [arguments.count > 1 ? arguments[1] : .null])
            ack?.send(arguments: ["sent"])
        }
        // Acks the length of the string it got.
        main.on("big") { _, arguments, ack in
            ack?.send(arguments: [.number(JSONNumber(arguments.first?.stringValue?.count ?? -1))])
        }
        // Emits `big-back` with a string of the requested length.
        main.on("send-big") { socket, arguments, _ in
            socket.emit("big-back", arguments: [.string(String(repeating: "z", count: arguments.first?.intValue ?? 0))])
        }
        // Never acks.
        main.on("silence") { _, _, _ in }
        // `[ms, event, args…]`: after ms, emits the event to the sender's room, so that it is
        // kept for a sender that has lost its connection meanwhile (connection state recovery).
        main.on("emit-later") { socket, arguments, _ in
            let milliseconds = arguments.first?.intValue ?? 0
            guard arguments.count > 1, let event = arguments[1].stringValue else { return }
            let rest = Array(arguments.dropFirst(2))
            Task {
                try await Task.sleep(for: .milliseconds(milliseconds))
                await main.to(socket.id).emit(event, arguments: rest)
            }
        }
        // Closes the connection underneath, as a network failure would.
        main.on("close-transport") { socket, _, _ in socket.engine.close(reason: .transportError) }
        io.of("/admin").on("whoami") { socket, _, ack in ack?.send(arguments: [.string(socket.namespace.name)]) }
    }
}
