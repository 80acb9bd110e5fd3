import Foundation
import Hummingbird
import Logging
import MeetTUI
import MeetingsContract
import MeetingsServer
import ServiceLifecycle
import SocketIOClient
import SocketIOProtocol
import Synchronization

/// `meet demo`: a meetings server in this process (in-memory database, random secret, a free
/// port on 127.0.0.1), a meeting with you as host, and a cast of simulated participants who use
/// the real REST API and Socket.IO, so the screen is alive within seconds.
public enum DemoSession {
    public static func run(you userId: String, name: String, transport: TransportMode, options: ClientModel.Options) async throws {
        var configuration = MeetingsServerConfiguration(jwtSecret: (0..<4).map { _ in UUID().uuidString }.joined())
        configuration.port = 0
        configuration.databaseURL = ":memory:"
        configuration.rateLimitPerSecond = 0
        configuration.presenceGrace = .seconds(15)
        // meet resumes from the events it missed after a short drop instead of a fresh snapshot.
        configuration.connectionStateRecovery = .seconds(120)
        configuration.logLevel = .critical
        var logger = Logger(label: "meet-demo")
        logger.logLevel = .critical
        let server = try await MeetingsServerApp(configuration: configuration, logger: logger)
        let ports = AsyncStream<Int>.makeStream()
        let application = server.application { port in ports.continuation.yield(port) }
        // Idle keep-alive connections (the REST client's pool) would hold a graceful shutdown
        // open until they time out; the demo has nothing to drain, so it stops within a second.
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(1)
        let group = ServiceGroup(configuration: groupConfiguration)
        let serving = Task { try await group.run() }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw MeetingsAPIError(status: 0, code: "demo", message: "The demo server did not start.") }
        let url = "http://127.0.0.1:\(port)"

        let token = server.tokens.sign(userId: userId, name: name)
        let api = MeetingsAPIClient(servers: [url], token: token)
        let meetingId = try await api.createMeeting(title: "Demo: weekly sync").id
        _ = try await api.join(meetingId)

        let cast = DemoCast(url: url, meetingId: meetingId, tokens: server.tokens, host: api)
        let acting = Task { await cast.run() }
        defer { acting.cancel() }
        let settings = SessionSettings(servers: [url], token: token, transport: transport, options: options)
        do {
            try await MeetSession.run(settings, meetingId: meetingId)
        } catch {
            acting.cancel()
            await group.triggerGracefulShutdown()
            throw error
        }
        acting.cancel()
        await cast.stop()
        await group.triggerGracefulShutdown()
        _ = try? await serving.value
    }
}

/// The simulated participants of the demo.
final class DemoCast: Sendable {
    struct Member: Sendable {
        let userId: String
        let name: String
        var api: MeetingsAPIClient
    }

    let url: String
    let meetingId: String
    let tokens: AccessTokens
    let host: MeetingsAPIClient
    let members: [Member]
    private let clients = Mutex<[SocketIOClient]>([])

    init(url: String, meetingId: String, tokens: AccessTokens, host: MeetingsAPIClient) {
        self.url = url
        self.meetingId = meetingId
        self.tokens = tokens
        self.host = host
        members = [("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol Nakamura"), ("dave", "Dave"), ("erin", "Erin 恵林")].map { id, name in
            Member(userId: id, name: name, api: MeetingsAPIClient(servers: [url], token: tokens.sign(userId: id, name: name)))
        }
    }

    func run() async {
        // Everyone arrives in the first seconds, then acts at random.
        await withTaskGroup(of: Void.self) { group in
            for (index, member) in members.enumerated() {
                group.addTask { [self] in
                    try? await Task.sleep(for: .milliseconds(150 * index))
                    guard (try? await arrive(member)) != nil else { return }
                    await opening(member)
                    await act(member)
                }
            }
        }
    }

    func stop() async {
        for client in clients.withLock({ $0 }) { await client.disconnect() }
    }

    private func arrive(_ member: Member) async throws {
        _ = try await member.api.join(meetingId)
        var configuration = SocketIOClientConfiguration()
        configuration.transport = .websocket
        let client = try SocketIOClient(url: url, configuration: configuration)
        clients.withLock { $0.append(client) }
        try await client.socket().connect(auth: ["token": .string(member.api.token)])
        try await client.socket().emit(SocketEvent.join.rawValue, arguments: [JSONValue(encoding: MeetingRef(meetingId: meetingId))])
    }

    /// What makes the screen busy at once.
    private func opening(_ member: Member) async {
        switch member.userId {
        case "alice":
            _ = try? await host.perform(.promote("alice"), in: meetingId)
            try? await Task.sleep(for: .milliseconds(400))
            try? await member.api.perform(.startMusic(track: "Lo-fi beats", volume: 40), in: meetingId)
            try? await Task.sleep(for: .milliseconds(600))
            try? await member.api.perform(.startRecording, in: meetingId)
        case "bob":
            try? await Task.sleep(for: .milliseconds(300))
            try? await member.api.perform(.raiseHand, in: meetingId)
            try? await member.api.perform(.startScreenshare, in: meetingId)
        case "carol":
            try? await Task.sleep(for: .milliseconds(500))
            try? await member.api.perform(.shareResource(title: "Agenda", url: "https://example.com/agenda"), in: meetingId)
            try? await member.api.perform(.raiseHand, in: meetingId)
        case "erin":
            try? await Task.sleep(for: .milliseconds(300))
            try? await member.api.perform(.sendMessage("Hi all! Can everyone see Bob's screen?"), in: meetingId)
        default:
            break
        }
    }

    private static let lines = [
        "One sec, my mic is acting up.", "Agreed.", "Can we go back to the last slide?", "+1 to that",
        "I'll take the action item.", "Sorry, I was muted.", "Link is in the resources.", "Let's timebox this to 5 minutes.",
    ]

    private func act(_ member: Member) async {
        var random = SystemRandomNumberGenerator()
        var handUp = member.userId == "bob" || member.userId == "carol"
        var sharing = member.userId == "bob"
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int.random(in: 2500...6000, using: &random)))
            if Task.isCancelled { return }
            let roll = Int.random(in: 0..<100, using: &random)
            let api = member.api
            switch roll {
            case 0..<30:
                try? await api.perform(handUp ? .lowerHand(userId: nil) : .raiseHand, in: meetingId)
                handUp.toggle()
            case 30..<50:
                try? await api.perform(.sendMessage(Self.lines.randomElement(using: &random) ?? "ok"), in: meetingId)
            case 50..<60:
                if sharing || member.userId == "bob" || member.userId == "dave" {
                    try? await api.perform(sharing ? .stopScreenshare : .startScreenshare, in: meetingId)
                    sharing.toggle()
                }
            case 60..<68 where member.userId == "alice":
                try? await api.perform(.setVolume(Int.random(in: 2...8, using: &random) * 10), in: meetingId)
            case 68..<72 where member.userId == "alice":
                try? await api.perform(.startMusic(track: ["Lo-fi beats", "Jazz trio", "Rain sounds"].randomElement(using: &random)!, volume: nil), in: meetingId)
            case 72..<78:
                try? await api.perform(.shareResource(title: "Notes from \(member.name)", url: "https://example.com/notes/\(member.userId)"), in: meetingId)
            case 78..<84 where member.userId == "dave" || member.userId == "erin":
                // Leave, and come back a few seconds later.
                try? await api.perform(.leave, in: meetingId)
                handUp = false
                sharing = false
                try? await Task.sleep(for: .seconds(3))
                _ = try? await api.join(meetingId)
            default:
                break
            }
        }
    }
}
