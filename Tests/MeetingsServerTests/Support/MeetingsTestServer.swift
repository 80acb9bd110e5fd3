import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MeetingsServer
import NIOCore
import NIOHTTP1
import SocketIOProtocol
import SocketIOServer
import Testing

/// The secret every test server signs with.
let testSecret = "test-secret-0123456789abcdef0123456789"

/// A meetings server for one test: an in-memory (or given) database, no rate limit unless
/// asked, and a REST client that speaks JSON as a user.
struct MeetingsTestServer: Sendable {
    let client: any TestClientProtocol
    let tokens: AccessTokens
    let service: MeetingService
    let io: SocketIOServer

    /// The port of a live server (`.live` setup), for Socket.IO clients.
    var port: Int { client.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)" }

    func token(_ userId: String, name: String? = nil) -> String { tokens.sign(userId: userId, name: name) }

    /// Calls the REST API as `user` (no token when nil) and returns the status and JSON body.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, as user: String?, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> APIResult {
        var fields = headers
        if let user { fields[.authorization] = "Bearer \(token(user))" }
        if body != nil { fields[.contentType] = "application/json" }
        let response = try await client.executeRequest(uri: path, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        let json = text.isEmpty ? JSONValue.null : try JSONValue(parsing: text)
        return APIResult(status: response.status.code, json: json, headers: response.headers)
    }

    /// Calls a live server through AsyncHTTPClient with a long deadline, for requests that may
    /// queue behind many others (the test client's read timeout is short).
    func callPatiently(_ method: HTTPRequest.Method, _ path: String, as user: String) async throws -> Int {
        var request = HTTPClientRequest(url: url + path)
        request.method = .init(rawValue: method.rawValue)
        request.headers.add(name: "Authorization", value: "Bearer \(token(user))")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// Creates a meeting as `host` and returns its id.
    func createMeeting(_ title: String = "Weekly sync", host: String = "alice") async throws -> String {
        let result = try await call(.post, "/api/meetings", as: host, body: #"{"title":"\#(title)"}"#)
        try #require(result.status == 201, "create: \(result.json)")
        return try #require(result.json["id"]?.stringValue)
    }

    /// The snapshot as seen by `user`.
    func snapshot(_ id: String, as user: String = "alice") async throws -> JSONValue {
        try await call(.get, "/api/meetings/\(id)", as: user).json
    }
}

/// A REST answer.
struct APIResult: Sendable {
    var status: Int
    var json: JSONValue
    var headers: HTTPFields

    /// The contract's error code, when it is an error.
    var code: String? { json["error"]?["code"]?.stringValue }
}

/// Runs a meetings server for the duration of `body`.
/// - Parameters:
///   - setup: `.router` (no sockets, fastest) or `.live` (a real port on 127.0.0.1).
///   - configure: changes to the configuration (in-memory database, no rate limit by default).
func withMeetingsServer(
    _ setup: TestingSetup = .router,
    configure: (inout MeetingsServerConfiguration) -> Void = { _ in },
    _ body: @escaping @Sendable (MeetingsTestServer) async throws -> Void
) async throws {
    var configuration = MeetingsServerConfiguration(jwtSecret: testSecret)
    configuration.databaseURL = ":memory:"
    configuration.port = 0
    configuration.rateLimitPerSecond = 0
    configuration.logLevel = .warning
    configure(&configuration)
    var logger = Logger(label: "meetings-test")
    logger.logLevel = configuration.logLevel
    let app = try await MeetingsServerApp(configuration: configuration, logger: logger)
    let tokens = app.tokens
    let service = app.service
    let io = app.io
    try await app.application().test(setup) { client in
        try await body(MeetingsTestServer(client: client, tokens: tokens, service: service, io: io))
    }
}
