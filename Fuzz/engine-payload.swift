// Engine.IO polling payloads (records separated by 0x1E): decoding never crashes, and a decoded
// payload without `open` packets encodes to one that decodes the same.
import EngineIOProtocol

func fuzz(_ bytes: [UInt8]) {
    guard let packets = try? EnginePayload.decode(text(bytes)) else { return }
    if packets.contains(where: { if case .open = $0 { true } else { false } }) { return }
    let encoded = EnginePayload.encode(packets)
    let again = try? EnginePayload.decode(encoded)
    require(again == packets, "\(packets) → \(encoded) → \(String(describing: again))")
}
