#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SocketIOProtocol
import SocketIOServer

/// The benchmark handlers (`meetings-server serve --bench-handlers`; off by default), the same
/// as the python-socketio baseline's, so `meet-bench` measures both servers alike:
///
/// - `join(room)` enters the room `bench:<room>` and acks `[]`.
/// - `bcast(room, payload)` adds `te` (this process's CLOCK_MONOTONIC, microseconds) to the
///   payload object and emits `evt` with it to `bench:<room>`, the sender included.
///
/// They run behind the same authentication as every other event, and their rooms carry their
/// own prefix, so a bench client can never enter or reach a meeting's room.
enum BenchHandlers {
    static let roomPrefix = "bench:"

    static func install(on namespace: Namespace) {
        namespace.on("join") { socket, arguments, ack in
            guard let name = arguments.first?.stringValue, !name.isEmpty, name.utf8.count <= 100 else {
                ack?.send(arguments: [["error": "join takes a room name of 1 to 100 bytes"]])
                return
            }
            await socket.join(roomPrefix + name)
            ack?.send(arguments: [])
        }
        namespace.on("bcast") { socket, arguments, _ in
            guard arguments.count == 2, let name = arguments[0].stringValue, case .object(var payload) = arguments[1] else { return }
            payload["te"] = .number(JSONNumber(monotonicMicroseconds()))
            await socket.namespace.to(roomPrefix + name).emit("evt", arguments: [.object(payload)])
        }
    }

    /// CLOCK_MONOTONIC in microseconds: the clock `meet-bench` and the baseline stamp with.
    static func monotonicMicroseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000 + now.tv_nsec / 1000
    }
}
