import MeetingsContract
import Crypto
import Foundation
import JWTKit
import SocketIOProtocol

/// HS256 access tokens (meetings-api §1): signs and verifies with the server's secret only.
///
/// Verification is jwt-kit's: its HS256 algorithm (from a `JWTKeyCollection` holding the
/// secret as its one HMAC key) checks the signature in constant time, and its
/// `DefaultJWTParser` decodes the claims into ``AccessClaims``. Before that, the strict checks
/// of ``StrictJWS`` that jwt-kit does not make: the compact form in canonical base64url only,
/// no duplicate JSON keys, `alg` exactly `HS256`, no `crit`, finite numeric `exp`/`iat`.
/// Then `exp` is honoured and `type` must be `access`.
///
/// Not `JWTKeyCollection.verify` itself, and synchronous after one `await`: async frames live
/// in the connection's long-lived task, whose allocator keeps what they grew. With
/// `meet-bench` (debug build, 3,000 clients), the actor's `verify` cost 4.5 KB per connection
/// held (41.0 KB against 36.5 KB) and a connect rate about 10% lower; an async verify without
/// the actor still cost 2.2 KB; this one costs none, and its connect rate is within the runs'
/// noise of the hand-written verifier's. The algorithm and the parser are the ones the
/// collection's `verify` uses.
public struct AccessTokens: Sendable {
    private let key: SymmetricKey
    /// jwt-kit's key collection, ready once its (actor-isolated) `add(hmac:)` has run.
    private let keys: Task<JWTKeyCollection, Never>
    /// Its HS256 algorithm (HMAC-SHA256 over the secret).
    private let algorithm: Task<any JWTAlgorithm, Never>
    private let parser = DefaultJWTParser()

    /// The shortest secret accepted, in bytes.
    public static let minimumSecretBytes = 32

    /// - Throws: ``ConfigurationError`` when the secret is shorter than 32 bytes.
    public init(secret: String) throws(ConfigurationError) {
        let count = secret.utf8.count
        guard count >= Self.minimumSecretBytes else {
            throw ConfigurationError("JWT_SECRET must be at least \(Self.minimumSecretBytes) bytes; got \(count). Generate one with: openssl rand -hex 32")
        }
        let key = SymmetricKey(data: Array(secret.utf8))
        self.key = key
        // `JWTKeyCollection` is an actor: its keys can only be added asynchronously, and this
        // initializer is synchronous (the configuration check, the CLI, tests), so the key is
        // added by a task that `verify` awaits (done long before the first connect).
        let hmac = HMACKey(key: key)
        let keys = Task { await JWTKeyCollection().add(hmac: hmac, digestAlgorithm: .sha256) }
        self.keys = keys
        algorithm = Task {
            do {
                return try await keys.value.getKey()
            } catch {
                preconditionFailure("jwt-kit has no key right after being given one: \(error)")
            }
        }
    }

    /// Signs an access token for `userId`.
    ///
    /// Synchronous, so not through jwt-kit's `JWTKeyCollection.sign` (async, on its actor):
    /// the same HMAC-SHA256 of swift-crypto that jwt-kit's HMAC signer wraps, over the claims
    /// in the contract's order. The tests check that jwt-kit verifies what this signs and that
    /// ``verify(_:now:)`` accepts what jwt-kit signs.
    public func sign(userId: String, name: String? = nil, issuedAt: Date = Date(), ttl: Duration? = .seconds(12 * 3600), type: String = "access") -> String {
        var claims: [(String, JSONValue)] = [("userId", .string(userId)), ("type", .string(type))]
        if let name { claims.append(("name", .string(name))) }
        let iat = Int(issuedAt.timeIntervalSince1970)
        claims.append(("iat", .number(JSONNumber(iat))))
        if let ttl { claims.append(("exp", .number(JSONNumber(iat + Int(ttl.components.seconds))))) }
        return sign(claims: .object(JSONObject(claims)))
    }

    /// Signs any claims, byte for byte as given (tests use it to forge wrong ones with the right
    /// key: duplicate keys and `1e400` survive, which no JSON encoder would write).
    public func sign(claims: JSONValue, header: JSONValue = ["alg": "HS256", "typ": "JWT"]) -> String {
        let input = Base64URL.encode(header.jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// Verifies a token and returns who it names.
    ///
    /// The token is taken exactly as given: callers take it from where it travels with
    /// ``token(from:)``, which holds the one trimming rule.
    public func verify(_ token: String, now: Date = Date()) async throws(TokenError) -> Caller {
        // Awaited once per call but complete after start-up; the work is synchronous, on the
        // thread's stack rather than in the connection task's async frames.
        try verify(token, now: now, algorithm: await algorithm.value)
    }

    private func verify(_ token: String, now: Date, algorithm: any JWTAlgorithm) throws(TokenError) -> Caller {
        let compact = try StrictJWS.check(token)
        // As jwt-kit's own signer does: the signature first, then the claims.
        guard (try? algorithm.verify(compact.signature, signs: compact.signingInput)) == true else {
            throw .invalid("the signature does not match this server's secret")
        }
        let claims: AccessClaims
        do {
            claims = try parser.parse(compact.token, as: AccessClaims.self).payload
        } catch {
            throw .invalid("it does not decode (\((error as? JWTError)?.reason ?? String(describing: error)))")
        }
        // As jwt-kit's `ExpirationClaim`: expired from the second it names.
        if let expiry = claims.expiry, expiry <= now { throw .expired }
        guard claims.type == "access" else { throw .wrongType(claims.type) }
        guard let userId = claims.userId, Self.isValidUserId(userId) else { throw .invalid(StrictJWS.userIdRule) }
        if let name = claims.name {
            guard (1...64).contains(name.unicodeScalars.count), !name.unicodeScalars.allSatisfy(\.properties.isWhitespace)
            else { throw .invalid(StrictJWS.nameRule) }
        }
        return Caller(userId: userId, name: claims.name)
    }

    /// The token of an `Authorization: Bearer <token>` header value (the scheme in any case,
    /// then spaces), by ``token(from:)``'s rule.
    public static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return token(from: parts[1])
    }

    /// The one trimming rule for a token, wherever it arrives (REST `Authorization`, and on
    /// Socket.IO the auth payload, the handshake's `Authorization`, the `token` query
    /// parameter): ASCII whitespace around it (tab, LF, FF, CR, space) is dropped; `nil` when
    /// nothing is left. Trim rather than refuse: HTTP already drops such whitespace around a
    /// header value (RFC 9110 §5.5), so refusing it would only set Socket.IO's auth payload
    /// apart from REST; and a pasted token often ends with a newline. Whitespace inside a
    /// token is not trimmed: base64url has none, so ``verify(_:now:)`` refuses it.
    public static func token(from raw: some StringProtocol) -> String? {
        let bytes = Substring(raw).utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return nil }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// jwt-kit alone, without ``StrictJWS`` (tests show what the strict checks add).
    func verifiedByJWTKitAlone(_ token: String) async throws -> AccessClaims {
        try await keys.value.verify(token, as: AccessClaims.self)
    }

    /// Signs through jwt-kit's key collection (async, on its actor).
    func signedByJWTKit(_ claims: AccessClaims) async throws -> String {
        try await keys.value.sign(claims)
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

/// The claims of an access token (meetings-api §1), as jwt-kit decodes them once the signature
/// has been checked. All optional: which ones are missing decides the refusal (a missing
/// `type` is `token_type`, a missing `userId` is `token_invalid`).
/// The contract's claims, decoded by jwt-kit's parser.
extension AccessClaims: JWTPayload {
    /// Claims with times as dates (whole seconds are what the wire carries).
    init(userId: String?, name: String? = nil, type: String? = "access", iat: Date? = nil, exp: Date?) {
        self.init(userId: userId, name: name, type: type, iat: iat?.timeIntervalSince1970, exp: exp?.timeIntervalSince1970)
    }

    /// When it expires.
    var expiry: Date? { exp.map(Date.init(timeIntervalSince1970:)) }

    /// Nothing here: ``AccessTokens/verify(_:now:)`` checks `exp` against its own `now` and the
    /// other claims in the contract's order, with the contract's codes and messages, which an
    /// error thrown from here (through jwt-kit) could not carry.
    public func verify(using algorithm: some JWTAlgorithm) throws {}
}

/// What jwt-kit (5.8) accepts and this server refuses, checked by hand before jwt-kit sees a
/// token; each refusal is `token_invalid` with our message:
/// - The compact form: exactly three parts, each base64url without padding in its canonical
///   spelling (`A–Z a–z 0–9 - _`, unused bits zero). jwt-kit's base64 decoder takes `=`
///   padding and non-zero unused bits, so one token would have several spellings.
/// - Duplicate JSON keys, in the header or the claims, at any depth: JSONDecoder keeps the
///   first silently (and JavaScript the last), so a token could say two things.
/// - `alg` must be `HS256`: jwt-kit picks the key by `kid` and never compares the header's
///   `alg` with it.
/// - `crit` is refused: it lists extensions a recipient must understand (RFC 7515 §4.1.11),
///   and this server understands none; jwt-kit ignores it.
/// - `exp` and `iat`, when present, are finite numbers: `1e400` is no time (the hand-written
///   verifier read it as infinity, which never expires; JSONDecoder calls it "not valid JSON").
///   `userId`, `name` and `type`, when present, are strings, with our messages.
enum StrictJWS {
    static let userIdRule = "'userId' must be 1–64 characters of A–Z, a–z, 0–9, '.', '_', '@' or '-'"
    static let nameRule = "'name' must be 1–64 characters"

    /// The token's bytes, the part its signature covers, and the signature.
    struct Compact {
        var token: [UInt8]
        var signingInput: ArraySlice<UInt8>
        var signature: [UInt8]
    }

    static func check(_ token: String) throws(TokenError) -> Compact {
        let bytes = Array(token.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalid("it is not a JWT (three dot-separated parts)") }
        var decoded: [[UInt8]] = []
        for (part, name) in zip(parts, ["header is", "claims are", "signature is"]) {
            guard let bytes = Base64URL.decode(bytes: part) else {
                throw .invalid("its \(name) not base64url without padding (A–Z a–z 0–9 - _ only)")
            }
            decoded.append(bytes)
        }
        let header = try object(decoded[0], "header", "its header is not a JSON object")
        let claims = try object(decoded[1], "claims", "its claims are not a JSON object")
        guard header["alg"]?.stringValue == "HS256" else {
            throw .invalid("only HS256 is accepted, not \(header["alg"]?.stringValue ?? "a missing alg")")
        }
        if header["crit"] != nil {
            throw .invalid("its header has 'crit' (critical extensions, RFC 7515 §4.1.11), and this server understands none")
        }
        for claim in ["exp", "iat"] {
            guard let value = claims[claim] else { continue }
            guard case .number(let number) = value, let seconds = number.doubleValue, seconds.isFinite else {
                throw .invalid("'\(claim)' is not a finite number")
            }
        }
        if let userId = claims["userId"], userId.stringValue == nil { throw .invalid(userIdRule) }
        if let name = claims["name"], name.stringValue == nil { throw .invalid(nameRule) }
        if let type = claims["type"], type.stringValue == nil { throw .invalid("'type' must be a string") }
        return Compact(token: bytes, signingInput: bytes[..<(parts[2].startIndex - 1)], signature: decoded[2])
    }

    /// A part's JSON object, with no key twice.
    private static func object(_ bytes: [UInt8], _ name: String, _ notAnObject: String) throws(TokenError) -> JSONValue {
        guard let value = try? JSONValue(parsing: bytes), case .object = value else { throw .invalid(notAnObject) }
        if let key = duplicateKey(in: value) { throw .invalid("the key '\(key)' appears twice in its \(name)") }
        return value
    }

    /// A key that some object inside `value` holds twice.
    static func duplicateKey(in value: JSONValue) -> String? {
        switch value {
        case .object(let object):
            var seen = Set<String>()
            for (key, member) in object {
                if !seen.insert(key).inserted { return key }
                if let key = duplicateKey(in: member) { return key }
            }
            return nil
        case .array(let items):
            for item in items {
                if let key = duplicateKey(in: item) { return key }
            }
            return nil
        default:
            return nil
        }
    }
}
