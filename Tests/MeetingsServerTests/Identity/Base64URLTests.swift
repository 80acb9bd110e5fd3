import MeetingsContract
import Foundation
@testable import MeetingsServer
import Testing

@Suite struct Base64URLTests {
    /// Foundation's base64, turned into base64url without padding: the reference.
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func encodesAndDecodesLikeTheReferenceAtEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == Self.reference(bytes))
            #expect(Base64URL.decode(Substring(encoded)) == bytes)
        }
    }

    @Test(arguments: ["ab=c", "a+bc", "a/bc", "a", "abcde", "ab c", "é"])
    func refusesWhatNoEncoderWrites(_ text: String) {
        #expect(Base64URL.decode(Substring(text)) == nil)
    }

    @Test func refusesNonZeroLeftoverBits() {
        // "AA" is the canonical form of [0x00]; "AF" has bits set past the last byte.
        #expect(Base64URL.decode("AA") == [0x00])
        #expect(Base64URL.decode("AF") == nil)
    }
}
