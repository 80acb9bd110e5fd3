import Crypto
import Foundation
import SocketIOProtocol

/// HS256 access tokens (meetings-api §1): signs and verifies with the server's secret only.
///
/// The header must say `"alg":"HS256"`; `none` and every other algorithm are refused, the
/// signature is compared in constant time, `exp` is honoured and `type` must be `access`.
public struct AccessTokens: Sendable {
    private let key: SymmetricKey

    /// The shortest secret accepted, in bytes.
    public static let minimumSecretBytes = 32

    /// - Throws: ``ConfigurationError`` when the secret is shorter than 32 bytes.
    public init(secret: String) throws(ConfigurationError) {
        let count = secret.utf8.count
        guard count >= Self.minimumSecretBytes else {
            throw ConfigurationError("JWT_SECRET must be at least \(Self.minimumSecretBytes) bytes; got \(count). Generate one with: openssl rand -hex 32")
        }
        key = SymmetricKey(data: Array(secret.utf8))
    }

    /// Signs an access token for `userId`.
    public func sign(userId: String, name: String? = nil, issuedAt: Date = Date(), ttl: Duration? = .seconds(12 * 3600), type: String = "access") -> String {
        var claims: [(String, JSONValue)] = [("userId", .string(userId)), ("type", .string(type))]
        if let name { claims.append(("name", .string(name))) }
        let iat = Int(issuedAt.timeIntervalSince1970)
        claims.append(("iat", .number(JSONNumber(iat))))
        if let ttl { claims.append(("exp", .number(JSONNumber(iat + Int(ttl.components.seconds))))) }
        return sign(claims: .object(JSONObject(claims)))
    }

    /// Signs any claims (tests use it to forge wrong ones with the right key).
    public func sign(claims: JSONValue, header: JSONValue = ["alg": "HS256", "typ": "JWT"]) -> String {
        let input = Base64URL.encode(header.jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// Verifies a token and returns who it names.
    public func verify(_ token: String, now: Date = Date()) throws(TokenError) -> Caller {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalid("it is not a JWT (three dot-separated parts)") }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONValue(parsing: headerBytes),
              let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONValue(parsing: claimBytes),
              case .object = claims, let signature = Base64URL.decode(parts[2])
        else { throw .invalid("its parts are not base64url JSON") }
        guard header["alg"]?.stringValue == "HS256" else {
            throw .invalid("only HS256 is accepted, not \(header["alg"]?.stringValue ?? "a missing alg")")
        }
        let input = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key) else {
            throw .invalid("the signature does not match this server's secret")
        }
        if let exp = claims["exp"] {
            guard case .number(let number) = exp, let seconds = number.doubleValue else { throw .invalid("'exp' is not a number") }
            if now.timeIntervalSince1970 >= seconds { throw .expired }
        }
        guard claims["type"]?.stringValue == "access" else { throw .wrongType(claims["type"]?.stringValue) }
        guard let userId = claims["userId"]?.stringValue, Self.isValidUserId(userId) else {
            throw .invalid("'userId' must be 1–64 characters of A–Z, a–z, 0–9, '.', '_', '@' or '-'")
        }
        var name: String?
        if let value = claims["name"] {
            guard let text = value.stringValue, (1...64).contains(text.unicodeScalars.count),
                  !text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
            else { throw .invalid("'name' must be 1–64 characters") }
            name = text
        }
        return Caller(userId: userId, name: name)
    }

    /// Who a token names, read without checking the signature (a client showing its own
    /// identity; the server always verifies).
    public static func unverifiedCaller(of token: String) -> Caller? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[1]), let claims = try? JSONValue(parsing: bytes),
              let userId = claims["userId"]?.stringValue
        else { return nil }
        return Caller(userId: userId, name: claims["name"]?.stringValue)
    }

    /// The token of an `Authorization: Bearer <token>` header value.
    public static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// 1–64 characters of `[A-Za-z0-9._@-]`.
    public static func isValidUserId(_ userId: String) -> Bool {
        let bytes = userId.utf8
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }
}

/// Base64url without padding (RFC 7515 §2).
/// Base64url without padding (RFC 7515), on bytes: every socket connect decodes a token.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
        return values
    }()

    static func encode(_ bytes: some Collection<UInt8>) -> String {
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
    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var bits = 0
        var count = 0
        for byte in text.utf8 {
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
