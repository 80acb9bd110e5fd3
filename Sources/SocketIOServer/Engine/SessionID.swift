/// Random, URL-safe ids for Engine.IO sessions and Socket.IO sockets (20 characters, 120 bits).
enum SessionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        // Two draws of 64 bits (one getrandom each) give the 20 characters' 120 bits.
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        return String(unsafeUninitializedCapacity: 20) { buffer in
            for index in 0..<20 {
                buffer[index] = alphabet[Int((words[index / 10] >> UInt64(6 * (index % 10))) & 63)]
            }
            return 20
        }
    }
}
