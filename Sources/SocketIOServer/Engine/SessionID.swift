/// Random, URL-safe ids for Engine.IO sessions and Socket.IO sockets (20 characters, 120 bits).
enum SessionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 20)
        for index in bytes.indices { bytes[index] = alphabet[Int(generator.next() & 63)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
