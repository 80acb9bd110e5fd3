import HTTPTypes
import Foundation
@testable import MeetingsServer
import SocketIOProtocol
import Testing

/// HS256 access tokens (meetings-api §1).
@Suite("Access tokens")
struct AccessTokensTests {
    let tokens = try! AccessTokens(secret: testSecret)

    func refusal(_ token: String, now: Date = Date()) -> TokenError? {
        do {
            _ = try tokens.verify(token, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func signsAndVerifies() throws {
        let caller = try tokens.verify(tokens.sign(userId: "alice", name: "Alice Liddell"))
        #expect(caller == Caller(userId: "alice", name: "Alice Liddell"))
        #expect(try tokens.verify(tokens.sign(userId: "bob.b@x_y-z")).name == "bob.b@x_y-z", "the name defaults to the user id")
    }

    @Test func refusesShortSecrets() {
        #expect(throws: ConfigurationError.self) { try AccessTokens(secret: "twelve bytes") }
        do {
            _ = try AccessTokens(secret: "twelve bytes")
        } catch {
            #expect(error.message.hasPrefix("JWT_SECRET must be at least 32 bytes; got 12"))
        }
    }

    @Test func refusesOtherAlgorithmsAndForgeries() throws {
        let good = tokens.sign(userId: "alice")
        let parts = good.split(separator: ".").map(String.init)
        // alg none, unsigned.
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        #expect(refusal(none)?.code == "token_invalid")
        // HS512 header with a valid HS256 signature over it.
        #expect(refusal(tokens.sign(claims: ["userId": "alice", "type": "access"], header: ["alg": "HS512"]))?.code == "token_invalid")
        // Another secret.
        let other = try AccessTokens(secret: String(repeating: "x", count: 32)).sign(userId: "alice")
        #expect(refusal(other)?.code == "token_invalid")
        // Claims changed after signing.
        let forged = parts[0] + "." + Base64URL.encode(Array(#"{"userId":"mallory","type":"access"}"#.utf8)) + "." + parts[2]
        #expect(refusal(forged)?.code == "token_invalid")
        for garbage in ["", "abc", "a.b.c", "...", good + "x", String(good.dropLast(2))] {
            #expect(refusal(garbage)?.code == "token_invalid", "\(garbage)")
        }
    }

    @Test func honoursExpiryAndType() {
        let now = Date()
        let expired = tokens.sign(userId: "alice", issuedAt: now.addingTimeInterval(-7200), ttl: .seconds(3600))
        #expect(refusal(expired, now: now) == .expired)
        #expect(refusal(tokens.sign(userId: "alice", issuedAt: now, ttl: .seconds(60)), now: now.addingTimeInterval(59)) == nil)
        #expect(refusal(tokens.sign(userId: "alice", type: "refresh"))?.code == "token_type")
        #expect(refusal(tokens.sign(claims: ["userId": "alice"]))?.code == "token_type")
    }

    @Test func checksUserIdAndName() {
        for bad in ["", "has space", "ünï", String(repeating: "a", count: 65), "a/b"] {
            #expect(refusal(tokens.sign(claims: ["userId": .string(bad), "type": "access"]))?.code == "token_invalid", "\(bad)")
        }
        #expect(refusal(tokens.sign(claims: ["userId": 42, "type": "access"]))?.code == "token_invalid")
        #expect(refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": ""]))?.code == "token_invalid")
        #expect(refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": .string(String(repeating: "名", count: 65))]))?.code == "token_invalid")
        #expect(refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": .string(String(repeating: "名", count: 64))])) == nil)
    }
}
