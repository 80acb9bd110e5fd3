/// Meeting ids: 16 random characters of a 32-letter alphabet in four groups
/// (`k3v9-x7qp-2mzt-8hdc`): 80 bits, URL-safe, easy to read aloud.
public enum MeetingID {
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789") + ["0"]

    /// A new random id from the system's secure generator.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// Whether `id` could be an id at all (length and characters), before asking the store.
    public static func isPlausible(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
