import BenchKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MeetingsServer
import Testing

/// The generator against real servers on 127.0.0.1: the meetings server in bench mode (JWT on
/// every connect) and the null broadcast server. Small loads: these check the counting, not speed.
@Suite struct BenchSessionTests {
    static var smallPlan: BenchPlan {
        var plan = BenchPlan()
        plan.clients = 40
        plan.firstStorm = 20
        plan.inFlight = 8
        plan.roomRates = [400]
        plan.webinarSize = 20
        plan.webinarRates = [10]
        plan.stepSeconds = 0.5
        plan.settleSeconds = 0.1
        plan.idleSeconds = 0.1
        return plan
    }

    /// The meetings server in bench mode on a free port, with an in-memory database.
    static func benchServer(logLevel: Logger.Level = .warning) async throws -> MeetingsServerApp {
        var configuration = MeetingsServerConfiguration(jwtSecret: String(repeating: "k", count: 32))
        configuration.databaseURL = ":memory:"
        configuration.port = 0
        configuration.benchHandlers = true
        configuration.logLevel = logLevel
        return try await MeetingsServerApp(configuration: configuration)
    }

    @Test func theSuiteAgainstTheMeetingsServerCountsEveryDelivery() async throws {
        let app = try await Self.benchServer()
        let tokens = (0..<40).map { app.tokens.sign(userId: "bench-\($0)") }
        try await app.application().test(.live) { client in
            let session = BenchSession(target: BenchTarget(host: "127.0.0.1", port: try #require(client.port)), tokens: tokens, serverPid: getpid())
            let result = try await session.runSuite(label: "meet", plan: Self.smallPlan)
            try await session.shutdown()
            #expect(result.connect.map(\.clients) == [20, 20])
            #expect(result.connect.allSatisfy { $0.failures == 0 && $0.perSecond > 0 })
            #expect(result.memory?.connections == 40)
            let rooms = try #require(result.rooms.first)
            #expect(rooms.expected > 0 && rooms.delivered == rooms.expected)
            #expect(rooms.members == 10)
            #expect(rooms.endToEnd.count == rooms.delivered && rooms.serverToClient.count == rooms.delivered)
            #expect(rooms.completion.count == rooms.broadcastsSent)
            #expect(rooms.endToEnd.p50 <= rooms.endToEnd.p99 && rooms.endToEnd.p99 <= rooms.endToEnd.max)
            let webinar = try #require(result.webinar.first)
            #expect(webinar.members == 20 && webinar.delivered == webinar.expected)
        }
    }

    @Test func aBadTokenIsAFailedConnectNotAHang() async throws {
        let app = try await Self.benchServer(logLevel: .critical)
        try await app.application().test(.live) { client in
            let session = BenchSession(target: BenchTarget(host: "127.0.0.1", port: try #require(client.port)), tokens: ["not-a-token"], serverPid: nil)
            var plan = Self.smallPlan
            plan.clients = 5
            let result = try await session.connect(upTo: 5, plan: plan)
            try await session.shutdown()
            #expect(result.failures == 5)
            #expect(result.lastFailure?.contains("connect refused") == true)
        }
    }

    @Test func theNullServerRelaysToTheWholeRoom() async throws {
        let server = try await NullBroadcastServer(port: 0)
        let session = BenchSession(target: BenchTarget(host: "127.0.0.1", port: server.port), tokens: ["-"], serverPid: nil)
        var plan = Self.smallPlan
        plan.clients = 30
        let step = try await session.measureCeiling(plan: plan, offered: 600)
        try await session.shutdown()
        try await server.shutdown()
        #expect(step.expected > 0 && step.delivered == step.expected)
        #expect(step.serverToClient.count == 0)
    }
}
