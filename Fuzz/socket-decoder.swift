// The Socket.IO decoder: the input up to the first 0xFF is a packet's text, every further
// 0xFF-separated chunk a binary attachment. Decoding never crashes, and a decoded packet encodes
// to text and attachments that decode to the same packet.
import SocketIOProtocol

func fuzz(_ bytes: [UInt8]) {
    let chunks = bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map(Array.init)
    var decoder = SocketPacketDecoder()
    var packet = try? decoder.receive(text: text(chunks[0]))
    for chunk in chunks.dropFirst() {
        guard packet == nil else { break }
        guard let next = try? decoder.receive(binary: chunk) else { return }
        packet = next
    }
    guard let packet else { return }
    let encoded = packet.encoded()
    var again = SocketPacketDecoder()
    var decoded = try? again.receive(text: encoded.text)
    for attachment in encoded.attachments where decoded == nil {
        decoded = try? again.receive(binary: attachment)
    }
    require(decoded == packet, "\(packet) → \(encoded.text) → \(String(describing: decoded))")
}
