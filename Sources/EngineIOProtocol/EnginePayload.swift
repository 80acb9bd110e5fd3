/// The polling payload: several packets joined by the record separator `\x1e` (Engine.IO v4 has
/// no length prefix).
///
/// ```swift
/// EnginePayload.encode([.message("hello"), .binary([1, 2, 3, 4])])   // "4hello\u{1e}bAQIDBA=="
/// try EnginePayload.decode("4hello\u{1e}2")                          // [.message("hello"), .ping("")]
/// ```
public enum EnginePayload {
    /// The record separator, 0x1E.
    public static let separator: Character = "\u{1e}"

    /// Joins packets into one polling payload.
    public static func encode(_ packets: [EnginePacket]) -> String {
        var out = ""
        for (index, packet) in packets.enumerated() {
            if index > 0 { out.append(separator) }
            out += packet.pollingEncoding
        }
        return out
    }

    /// Splits a polling payload and decodes every packet.
    /// - Throws: ``EngineIOProtocolError`` if any record is malformed; nothing is returned then.
    public static func decode(_ payload: some StringProtocol) throws(EngineIOProtocolError) -> [EnginePacket] {
        var packets: [EnginePacket] = []
        for record in payload.split(separator: separator, omittingEmptySubsequences: false) {
            packets.append(try EnginePacket(text: record))
        }
        return packets
    }
}
