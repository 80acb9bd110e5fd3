import MeetingsContract
import HTTPTypes
import HummingbirdTesting
import Foundation
@testable import MeetingsServer
import SocketIOClient
import SocketIOProtocol
import Testing

/// HS256 access tokens (meetings-api §1).
@Suite("Access tokens")
struct AccessTokensTests {
    let tokens = try! AccessTokens(secret: testSecret)

    func refusal(_ token: String, now: Date = Date()) async -> TokenError? {
        do {
            _ = try await tokens.verify(token, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// Claims (and header) written exactly as given, duplicate keys and number text included, signed.
    func forged(_ claims: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#) throws -> String {
        tokens.sign(claims: try JSONValue(parsing: claims), header: try JSONValue(parsing: header))
    }

    @Test func signsAndVerifies() async throws {
        let caller = try await tokens.verify(tokens.sign(userId: "alice", name: "Alice Liddell"))
        #expect(caller == Caller(userId: "alice", name: "Alice Liddell"))
        #expect(try await tokens.verify(tokens.sign(userId: "bob.b@x_y-z")).name == "bob.b@x_y-z", "the name defaults to the user id")
    }

    @Test func refusesShortSecrets() {
        #expect(throws: ConfigurationError.self) { try AccessTokens(secret: "twelve bytes") }
        do {
            _ = try AccessTokens(secret: "twelve bytes")
        } catch {
            #expect(error.message.hasPrefix("JWT_SECRET must be at least 32 bytes; got 12"))
        }
    }

    @Test func refusesOtherAlgorithmsAndForgeries() async throws {
        let good = tokens.sign(userId: "alice")
        let parts = good.split(separator: ".").map(String.init)
        // alg none, unsigned.
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        #expect(await refusal(none)?.code == "token_invalid")
        // An HS512 header with a valid HS256 signature over it: jwt-kit alone takes it.
        let hs512 = tokens.sign(claims: ["userId": "alice", "type": "access"], header: ["alg": "HS512"])
        #expect(await refusal(hs512) == .invalid("only HS256 is accepted, not HS512"))
        _ = try await tokens.verifiedByJWTKitAlone(hs512)
        // Another secret.
        let other = try AccessTokens(secret: String(repeating: "x", count: 32)).sign(userId: "alice")
        #expect(await refusal(other) == .invalid("the signature does not match this server's secret"))
        // Claims changed after signing.
        let forged = parts[0] + "." + Base64URL.encode(Array(#"{"userId":"mallory","type":"access"}"#.utf8)) + "." + parts[2]
        #expect(await refusal(forged) == .invalid("the signature does not match this server's secret"))
        for garbage in ["", "abc", "a.b.c", "...", good + "x", String(good.dropLast(2)), "e30.e30.", "W10.e30.AA"] {
            #expect(await refusal(garbage)?.code == "token_invalid", "\(garbage)")
        }
    }

    @Test func honoursExpiryAndType() async {
        let now = Date()
        let expired = tokens.sign(userId: "alice", issuedAt: now.addingTimeInterval(-7200), ttl: .seconds(3600))
        #expect(await refusal(expired, now: now) == .expired)
        let minute = tokens.sign(userId: "alice", issuedAt: now, ttl: .seconds(60))
        #expect(await refusal(minute, now: now.addingTimeInterval(59)) == nil)
        #expect(await refusal(minute, now: now.addingTimeInterval(61)) == .expired)
        #expect(await refusal(tokens.sign(userId: "alice", ttl: nil)) == nil, "exp is optional")
        #expect(await refusal(tokens.sign(userId: "alice", type: "refresh")) == .wrongType("refresh"))
        #expect(await refusal(tokens.sign(claims: ["userId": "alice"])) == .wrongType(nil))
    }

    @Test func checksUserIdAndName() async {
        for bad in ["", "has space", "ünï", String(repeating: "a", count: 65), "a/b"] {
            #expect(await refusal(tokens.sign(claims: ["userId": .string(bad), "type": "access"]))?.code == "token_invalid", "\(bad)")
        }
        #expect(await refusal(tokens.sign(claims: ["userId": 42, "type": "access"]))?.code == "token_invalid")
        #expect(await refusal(tokens.sign(claims: ["type": "access"]))?.code == "token_invalid")
        #expect(await refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": ""]))?.code == "token_invalid")
        #expect(await refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": 7]))?.code == "token_invalid")
        #expect(await refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": .string(String(repeating: "名", count: 65))]))?.code == "token_invalid")
        #expect(await refusal(tokens.sign(claims: ["userId": "a", "type": "access", "name": .string(String(repeating: "名", count: 64))])) == nil)
    }

    // MARK: Strictness (issue 14's black-box findings)

    /// `"exp":1e400` is infinity as a double: it used to never expire.
    @Test func refusesAnExpThatIsNotAFiniteNumber() async throws {
        for exp in ["1e400", "-1e400", #""9999999999""#, "null", "true", "[1]"] {
            let token = try forged(#"{"userId":"alice","type":"access","exp":\#(exp)}"#)
            #expect(await refusal(token) == .invalid("'exp' is not a finite number"), "exp \(exp)")
        }
        let iat = try forged(#"{"userId":"alice","type":"access","iat":1e400}"#)
        #expect(await refusal(iat) == .invalid("'iat' is not a finite number"))
        // Finite numbers are fine: far future, a fraction, the past.
        let farFuture = try forged(#"{"userId":"alice","type":"access","exp":1e300}"#)
        #expect(await refusal(farFuture) == nil)
        let fraction = try forged(#"{"userId":"alice","type":"access","exp":4102444800.5}"#)
        #expect(await refusal(fraction) == nil)
        let past = try forged(#"{"userId":"alice","type":"access","exp":1e3}"#)
        #expect(await refusal(past) == .expired)
    }

    /// RFC 7515 §4.1.11: a recipient must refuse a `crit` extension it does not understand,
    /// and this server understands none; jwt-kit alone ignores `crit`.
    @Test func refusesCrit() async throws {
        let claims = #"{"userId":"alice","type":"access"}"#
        for header in [#"{"alg":"HS256","crit":["exp"],"exp":1}"#, #"{"alg":"HS256","crit":["b64"],"b64":false}"#, #"{"alg":"HS256","crit":[]}"#] {
            let token = try forged(claims, header: header)
            let refused = await refusal(token)
            #expect(refused?.code == "token_invalid", "\(header)")
            #expect(refused?.description.contains("'crit'") == true, "\(header)")
            _ = try await tokens.verifiedByJWTKitAlone(token)
        }
        let plain = try forged(claims, header: #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#)
        #expect(await refusal(plain) == nil, "other header fields are fine")
    }

    /// One token, one spelling: base64url without padding, canonical. The standard alphabet's
    /// `+` `/`, `=` padding and non-zero unused bits are refused.
    @Test func refusesAnythingButCanonicalBase64URL() async throws {
        // A token whose signature has both a '-' and a '_' (the user id varies the MAC).
        let token = try #require((0..<500).lazy.map { tokens.sign(userId: "u\($0)", ttl: nil) }.first {
            let signature = $0.split(separator: ".")[2]
            return signature.contains("-") && signature.contains("_")
        })
        #expect(await refusal(token) == nil)
        let parts = token.split(separator: ".").map(String.init)
        let standard = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        // Spellings jwt-kit's own decoder takes for the same bytes.
        let lenient = [
            parts[0] + "." + parts[1] + "." + parts[2] + "=",  // padding (43 → 44 characters)
            parts[0] + "." + parts[1] + "." + parts[2].dropLast() + Self.withUnusedBitSet(parts[2].last!),
        ]
        for spelling in lenient {
            _ = try await tokens.verifiedByJWTKitAlone(spelling)
        }
        for spelling in lenient + [
            parts[0] + "." + parts[1] + "." + standard,  // the standard alphabet
            parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + " ." + parts[2],
        ] {
            let refused = await refusal(spelling)
            #expect(refused?.code == "token_invalid", "\(spelling)")
            #expect(refused?.description.contains("base64url") == true, "\(spelling): \(String(describing: refused))")
        }
    }

    /// The last character of a 43-character signature carries 4 bits and 2 unused ones: the
    /// same character with an unused bit set (the same bytes to a lenient decoder).
    static func withUnusedBitSet(_ last: Character) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String(alphabet[alphabet.firstIndex(of: last)! | 1])
    }

    /// JSONDecoder keeps the first of two equal keys silently: a token says one thing or is refused.
    @Test func refusesDuplicateKeys() async throws {
        let duplicateUser = try forged(#"{"userId":"alice","type":"access","userId":"mallory"}"#)
        #expect(await refusal(duplicateUser) == .invalid("the key 'userId' appears twice in its claims"))
        _ = try await tokens.verifiedByJWTKitAlone(duplicateUser)
        let cases = [
            try forged(#"{"userId":"alice","type":"access","type":"access"}"#),
            try forged(#"{"userId":"alice","type":"access","x":[{"k":1,"k":2}]}"#),  // at any depth
            try forged(#"{"userId":"al\u0069ce","type":"access","user\u0049d":"bob"}"#),  // escaped, the same key
        ]
        for token in cases {
            #expect(await refusal(token)?.code == "token_invalid", "\(token)")
        }
        let duplicateAlg = try forged(#"{"userId":"alice","type":"access"}"#, header: #"{"alg":"none","alg":"HS256"}"#)
        #expect(await refusal(duplicateAlg) == .invalid("the key 'alg' appears twice in its header"))
    }

    /// One trimming rule (``AccessTokens/token(from:)``): ASCII whitespace around a token is
    /// dropped wherever it arrives; inside, it is refused.
    @Test func trimsASCIIWhitespaceAroundATokenOnly() async {
        #expect(AccessTokens.token(from: " \t\r\n\u{0C}abc.def \n") == "abc.def")
        #expect(AccessTokens.token(from: " \t\n") == nil)
        #expect(AccessTokens.token(from: "\u{00A0}abc") == "\u{00A0}abc", "ASCII whitespace only")
        #expect(AccessTokens.bearerToken("Bearer   abc \t") == "abc")
        #expect(AccessTokens.bearerToken("bearer abc") == "abc")
        #expect(AccessTokens.bearerToken("Bearer    ") == nil)
        #expect(AccessTokens.bearerToken("Basic abc") == nil)
        let token = tokens.sign(userId: "alice")
        #expect(await refusal(" " + token)?.code == "token_invalid", "verify takes the token as given")
        #expect(await refusal(token.replacingOccurrences(of: ".", with: ". "))?.code == "token_invalid")
    }

    /// A token with whitespace around it: accepted on REST and on each Socket.IO route alike.
    @Test func trimsTheSameOnRESTAndSocketIO() async throws {
        try await withMeetingsServer(.live) { server in
            let token = server.token("alice")
            let rest = try await server.call(.post, "/api/meetings", as: nil, body: #"{"title":"t"}"#, headers: [.authorization: "Bearer  \t" + token + " \t"])
            #expect(rest.status == 201, "\(rest.json)")
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .websocket
            configuration.reconnection.enabled = false
            var header = configuration
            header.headers["Authorization"] = "Bearer \t" + token + " \t"
            var query = configuration
            query.query["token"] = " \t" + token + " \r\n"
            let routes: [(String, SocketIOClientConfiguration, JSONValue)] = [
                ("auth", configuration, ["token": .string(" \t" + token + " \r\n")]),
                ("header", header, .object(JSONObject())),
                ("query", query, .object(JSONObject())),
            ]
            for (route, configuration, auth) in routes {
                let client = try SocketIOClient(url: server.url, configuration: configuration)
                do {
                    try await client.socket().connect(auth: auth)
                } catch {
                    Issue.record("\(route): \(error)")
                }
                await client.disconnect()
            }
        }
    }

    /// What jwt-kit signs, we verify; what we sign, jwt-kit verifies.
    @Test func interoperatesWithJWTKit() async throws {
        let now = Date()
        let minted = try await tokens.signedByJWTKit(AccessClaims(userId: "alice", name: "Alice", iat: now, exp: now.addingTimeInterval(60)))
        #expect(try await tokens.verify(minted) == Caller(userId: "alice", name: "Alice"))
        let expired = try await tokens.signedByJWTKit(AccessClaims(userId: "alice", exp: now.addingTimeInterval(-1)))
        #expect(await refusal(expired) == .expired)
        let ours = try await tokens.verifiedByJWTKitAlone(tokens.sign(userId: "bob", name: "Bob", issuedAt: now, ttl: .seconds(60)))
        #expect(ours.userId == "bob" && ours.name == "Bob" && ours.type == "access")
        #expect(ours.expiry == Date(timeIntervalSince1970: Double(Int(now.timeIntervalSince1970) + 60)))
    }
}
