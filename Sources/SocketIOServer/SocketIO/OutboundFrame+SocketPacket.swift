import SocketIOProtocol

extension OutboundFrame {
    /// The frames of a Socket.IO packet: its text, then one binary frame per attachment.
    /// Built once, they can be queued on any number of connections.
    static func frames(of packet: SocketPacket) -> [OutboundFrame] {
        packet.encoded().enginePackets.map(OutboundFrame.init)
    }
}
