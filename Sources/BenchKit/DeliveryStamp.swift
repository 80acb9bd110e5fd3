import NIOCore

/// What `meet-bench` reads from each delivered `42["evt",{"t0":…,"s":…,…,"te":…}]`: the
/// sender's timestamp, the broadcast's sequence number and (when the server stamps it) the
/// server's emit time. A byte scan, not a JSON parse: the generator reads every delivery.
public struct DeliveryStamp: Equatable, Sendable {
    /// When the generator sent the broadcast (CLOCK_MONOTONIC, microseconds).
    public var sent: Int
    /// The broadcast's number.
    public var sequence: Int
    /// When the server emitted it (CLOCK_MONOTONIC, microseconds), if it says.
    public var emitted: Int?

    public init(sent: Int, sequence: Int, emitted: Int? = nil) {
        self.sent = sent
        self.sequence = sequence
        self.emitted = emitted
    }

    private static let prefix = Array(#"42["evt","#.utf8)

    /// Reads the stamp of an `evt` event packet; `nil` for any other packet.
    public init?(packet: ByteBuffer) {
        let found: DeliveryStamp?? = packet.withUnsafeReadableBytes { bytes in
            guard bytes.count > Self.prefix.count, bytes.starts(with: Self.prefix) else { return .some(nil) }
            guard let sent = Self.number(after: "\"t0\":", in: bytes), let sequence = Self.number(after: "\"s\":", in: bytes) else {
                return .some(nil)
            }
            return DeliveryStamp(sent: sent, sequence: sequence, emitted: Self.number(after: "\"te\":", in: bytes))
        }
        guard let stamp = found ?? nil else { return nil }
        self = stamp
    }

    /// The non-negative integer right after `key` (spaces skipped), or `nil`.
    static func number(after key: StaticString, in bytes: UnsafeRawBufferPointer) -> Int? {
        let keyBytes = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let limit = bytes.count - keyBytes.count
        guard limit >= 0 else { return nil }
        var index = 0
        search: while index <= limit {
            for offset in 0..<keyBytes.count where bytes[index + offset] != keyBytes[offset] {
                index += 1
                continue search
            }
            var position = index + keyBytes.count
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
            var value = 0
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9"), digits < 18 {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        return nil
    }
}
