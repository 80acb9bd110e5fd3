import Logging
import HTTPTypes
import MeetingsServer
import Testing

/// `meetings-server serve` settings: options over environment over defaults, refusals a person can act on.
@Suite("Server configuration")
struct MeetingsServerConfigurationTests {
    let secret = ["JWT_SECRET": testSecret]

    func refusal(_ values: [String: String], environment: [String: String] = [:]) -> String? {
        do {
            _ = try MeetingsServerConfiguration.resolve(values, environment: environment)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func defaults() throws {
        let configuration = try MeetingsServerConfiguration.resolve([:], environment: secret)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 3002)
        #expect(configuration.databaseURL == "./meetings.sqlite")
        #expect(configuration.presenceGrace == .seconds(30))
        #expect(configuration.rateLimitPerSecond == 20)
        #expect(configuration.allowedOrigins.isEmpty)
        #expect(configuration.connectionStateRecovery == nil, "off: clients of the original service do not expect offsets")
        #expect(configuration.idleTimeout == .seconds(30))
    }

    @Test func idleTimeoutIsSecondsAndZeroIsOff() throws {
        #expect(try MeetingsServerConfiguration.resolve(["IDLE_TIMEOUT_SECONDS": "5"], environment: secret).idleTimeout == .seconds(5))
        #expect(try MeetingsServerConfiguration.resolve(["IDLE_TIMEOUT_SECONDS": "0"], environment: secret).idleTimeout == nil)
        #expect(refusal(["IDLE_TIMEOUT_SECONDS": "-1"], environment: secret) == "IDLE_TIMEOUT_SECONDS must be a whole number of seconds from 0 to 86400, 0 to turn it off; got '-1'.")
    }

    @Test func connectionStateRecoveryIsSecondsAndZeroIsOff() throws {
        let on = try MeetingsServerConfiguration.resolve(["CONNECTION_STATE_RECOVERY_SECONDS": "120"], environment: secret)
        #expect(on.connectionStateRecovery == .seconds(120))
        let off = try MeetingsServerConfiguration.resolve(["CONNECTION_STATE_RECOVERY_SECONDS": "0"], environment: secret)
        #expect(off.connectionStateRecovery == nil)
        #expect(refusal(["CONNECTION_STATE_RECOVERY_SECONDS": "2m"], environment: secret)?.hasPrefix("CONNECTION_STATE_RECOVERY_SECONDS must be a whole number of seconds") == true)
    }

    @Test func optionsWinOverEnvironment() throws {
        let configuration = try MeetingsServerConfiguration.resolve(
            ["PORT": "4000", "PRESENCE_GRACE_SECONDS": "0.5", "ALLOWED_ORIGINS": "https://a.example, https://b.example"],
            environment: secret.merging(["PORT": "5000", "HOST": "0.0.0.0", "RATE_LIMIT_PER_SECOND": "0", "LOG_LEVEL": "DEBUG"]) { a, _ in a }
        )
        #expect(configuration.port == 4000)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.presenceGrace == .milliseconds(500))
        #expect(configuration.rateLimitPerSecond == 0)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.allowedOrigins == ["https://a.example", "https://b.example"])
    }

    @Test func refusesBadSettingsWithAnActionableMessage() {
        #expect(refusal([:])?.contains("JWT_SECRET is not set") == true)
        #expect(refusal(["JWT_SECRET": "short"])?.hasPrefix("JWT_SECRET must be at least 32 bytes; got 5") == true)
        #expect(refusal(["PORT": "70000"], environment: secret)?.hasPrefix("PORT must be") == true)
        #expect(refusal(["PRESENCE_GRACE_SECONDS": "-1"], environment: secret)?.hasPrefix("PRESENCE_GRACE_SECONDS") == true)
        #expect(refusal(["RATE_LIMIT_PER_SECOND": "fast"], environment: secret)?.hasPrefix("RATE_LIMIT_PER_SECOND") == true)
        #expect(refusal(["LOG_LEVEL": "loud"], environment: secret)?.hasPrefix("LOG_LEVEL") == true)
        #expect(refusal(["DATABASE_URL": "postgres://"], environment: secret)?.hasPrefix("DATABASE_URL must look like postgres://") == true)
        #expect(refusal(["DATABASE_URL": "postgres://db/meetings?sslmode=maybe"], environment: secret)?.contains("sslmode") == true)
        #expect(refusal(["DATABASE_URL": "postgres://u:pw@db:5433/meetings"], environment: secret) == nil)
    }
}
