// Engine.IO packets (one WebSocket frame's text, or one polling record): decoding never crashes,
// and a decoded packet other than `open` reads back the same from its polling encoding.
import EngineIOProtocol

func fuzz(_ bytes: [UInt8]) {
    guard let packet = try? EnginePacket(text: text(bytes)) else { return }
    if case .open = packet { return }
    let again = try? EnginePacket(text: packet.pollingEncoding)
    require(again == packet, "\(packet) → \(packet.pollingEncoding) → \(String(describing: again))")
}
