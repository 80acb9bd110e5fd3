/// A tiny seeded random number generator (SplitMix64), so fuzz runs are reproducible.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that always yields the same sequence for the same seed.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A string of up to `maxLength` characters drawn from `alphabet`.
    public mutating func string(from alphabet: [Character], maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &self)
        return String((0..<length).map { _ in alphabet.randomElement(using: &self)! })
    }

    /// `text` with a few random edits: byte flips, truncations and insertions from `insertions`.
    public mutating func mutate(_ text: String, insertions: [Character]) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &self) {
            switch Int.random(in: 0..<3, using: &self) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: bytes.indices, using: &self)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &self)
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &self))
            default:
                let inserted = Array(String(insertions.randomElement(using: &self)!).utf8)
                bytes.insert(contentsOf: inserted, at: Int.random(in: 0...bytes.count, using: &self))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes.
    public mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
