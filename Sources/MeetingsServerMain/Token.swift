import ArgumentParser
import Foundation
import MeetingsServer

/// `meetings-server token <userId>`: prints a signed access token.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an access token for a user, signed with JWT_SECRET.",
        discussion: "Example: meetings-server token alice --name Alice --ttl 12h"
    )

    @Argument(help: "The user id: 1-64 characters of A-Z a-z 0-9 . _ @ -") var userId: String
    @Option(help: "Display name (1-64 characters); the user id by default.") var name: String?
    @Option(help: "Lifetime: a number with s, m, h or d (12h by default); 0 for no expiry.") var ttl: String = "12h"
    @Option(name: .customLong("jwt-secret"), help: "The server's secret (JWT_SECRET); prefer the environment.") var jwtSecret: String?

    func run() throws {
        guard AccessTokens.isValidUserId(userId) else {
            throw ValidationError("'\(userId)' is not a valid user id: use 1-64 characters of A-Z a-z 0-9 . _ @ -")
        }
        if let name, !(1...64).contains(name.unicodeScalars.count) {
            throw ValidationError("--name must be 1-64 characters.")
        }
        guard let secret = jwtSecret ?? ProcessInfo.processInfo.environment["JWT_SECRET"] else {
            throw ValidationError("JWT_SECRET is not set: export the server's secret or pass --jwt-secret.")
        }
        let tokens: AccessTokens
        do { tokens = try AccessTokens(secret: secret) } catch { throw ValidationError(error.message) }
        print(tokens.sign(userId: userId, name: name, ttl: try Self.duration(ttl)))
    }

    static func duration(_ text: String) throws -> Duration? {
        if text == "0" { return nil }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Int64(text.dropLast()), amount > 0 else {
            throw ValidationError("--ttl must be a number followed by s, m, h or d (e.g. 12h); got '\(text)'.")
        }
        return .seconds(amount * unit)
    }
}
