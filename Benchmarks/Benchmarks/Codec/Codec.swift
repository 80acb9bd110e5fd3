// The packets every meeting sends, encoded and decoded: CPU time and allocations per packet.
import Benchmark
import EngineIOProtocol
import SocketIOProtocol
import SocketIOServer

/// A broadcast as the bench handlers relay it: ~130 bytes.
let payload: JSONValue = [
    "t0": 123_456_789_012, "s": 4242, "pad": .string(String(repeating: "x", count: 72)), "te": 123_456_789_500,
]
let event = SocketPacket.event("evt", [payload])
let eventText = event.encoded().text
let incoming = #"2["bcast","r12",{"t0":123456789012,"s":4242,"pad":"\#(String(repeating: "x", count: 72))"}]"#
let meetingEvent: JSONValue = [
    "meetingId": "qfd8-4dem-efz5-90vk", "seq": 1234, "at": "2026-11-27T17:00:00.000Z",
    "userId": "bob", "position": 2,
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.cpuTotal, .wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(2))

    // What the harness itself costs per iteration: subtract it from the figures below.
    Benchmark("Baseline: an empty iteration") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(index)
        }
    }
    Benchmark("Engine.IO: decode a message packet") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try EnginePacket(text: "4" + incoming))
        }
    }
    Benchmark("Engine.IO: encode a message packet") { benchmark in
        let packet = EnginePacket.message(eventText)
        for _ in benchmark.scaledIterations {
            blackHole(packet.textEncoding)
        }
    }
    Benchmark("Socket.IO: decode an event with its JSON") { benchmark in
        var decoder = SocketPacketDecoder()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.receive(text: incoming))
        }
    }
    Benchmark("Socket.IO: encode an event with its JSON") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(event.encoded())
        }
    }
    Benchmark("Socket.IO: encode a meeting event") { benchmark in
        let packet = SocketPacket.event("meeting:hand-raised", [meetingEvent])
        for _ in benchmark.scaledIterations {
            blackHole(packet.encoded())
        }
    }
    Benchmark("JSON: parse a broadcast payload") { benchmark in
        let text = payload.jsonString
        for _ in benchmark.scaledIterations {
            blackHole(try JSONValue(parsing: text))
        }
    }
    Benchmark("Broadcast: encode and frame once for every recipient") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(event.encoded().enginePackets.map(OutboundFrame.init))
        }
    }
}
