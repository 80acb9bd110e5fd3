/// Base64url without padding (RFC 7515 §2), on bytes: every socket connect decodes a token.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
        return values
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var bits = 0
        var count = 0
        for byte in bytes {
            bits = bits << 8 | Int(byte)
            count += 8
            while count >= 6 {
                count -= 6
                output.append(alphabet[(bits >> count) & 63])
            }
        }
        if count > 0 { output.append(alphabet[(bits << (6 - count)) & 63]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes, or `nil` for a character outside the alphabet (padding included) or a
    /// length no encoder produces.
    public static func decode(_ text: Substring) -> [UInt8]? { decode(bytes: text.utf8) }

    /// ``decode(_:)`` on the text's UTF-8 bytes.
    public static func decode(bytes text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var bits = 0
        var count = 0
        for byte in text {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }
            bits = (bits << 6 | Int(value)) & 0xFFFFFF
            count += 6
            if count >= 8 {
                count -= 8
                output.append(UInt8((bits >> count) & 0xFF))
            }
        }
        // Leftover bits must be zero, as a canonical encoder leaves them.
        guard bits & ((1 << count) - 1) == 0 else { return nil }
        return output
    }
}
