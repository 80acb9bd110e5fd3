import Foundation
import JWTKit
import MeetingsContract

/// The bench clients' access tokens: the contract's claims, signed HS256 by jwt-kit with the
/// server's secret, as any third-party client would mint them.
enum BenchTokens {
    /// jwt-kit signs a `JWTPayload`; the claims are the contract's, encoded as they are.
    struct Payload: JWTPayload {
        var claims: AccessClaims

        init(_ claims: AccessClaims) { self.claims = claims }
        init(from decoder: any Decoder) throws { claims = try AccessClaims(from: decoder) }
        func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    /// One token per client, `bench-0` … `bench-{n-1}`, valid for 12 hours.
    static func sign(clients: Int, secret: String) async throws -> [String] {
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let now = Date().timeIntervalSince1970.rounded(.down)
        var tokens: [String] = []
        tokens.reserveCapacity(clients)
        for index in 0..<clients {
            let claims = AccessClaims(userId: "bench-\(index)", name: "Bench \(index)", type: "access", iat: now, exp: now + 12 * 3600)
            tokens.append(try await keys.sign(Payload(claims)))
        }
        return tokens
    }
}
