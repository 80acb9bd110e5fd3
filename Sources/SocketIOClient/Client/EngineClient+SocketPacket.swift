import SocketIOProtocol

extension EngineClient {
    /// Sends a Socket.IO packet: its text, then its binary attachments.
    func send(_ packet: SocketPacket) {
        send(packet.encoded().enginePackets)
    }
}
