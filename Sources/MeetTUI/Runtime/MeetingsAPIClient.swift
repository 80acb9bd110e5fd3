import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import MeetingsContract
import SocketIOProtocol

/// A refused REST call: the server's code and message (meetings-api §2), or why it failed.
public struct MeetingsAPIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    public var description: String { message }

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}

/// The REST API of the meetings server, as a user with a token. Tries each server URL in turn
/// when one cannot be reached.
public struct MeetingsAPIClient: Sendable {
    public let servers: [String]
    public let token: String

    public init(servers: [String], token: String) {
        self.servers = servers.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.token = token
    }

    /// A refused connection fails at once, so the next server is tried (AsyncHTTPClient would
    /// otherwise retry the dead one until the connect timeout).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(20)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.idleTimeout = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Calls a route of the contract with its path parameters; decodes its answer.
    public func call<Body, Answer>(_ route: Route<Body, Answer>, _ parameters: String..., body: Body? = nil) async throws -> Answer {
        let path = route.path(parameters)
        let json = try await call(route.method, path, body: body.map(Self.encode))
        do {
            return try json.decode(as: Answer.self)
        } catch {
            throw MeetingsAPIError(status: 0, code: "unreadable", message: "The server's answer to \(route.method) \(path) does not have the contract's shape: \(error)")
        }
    }

    static func encode(_ body: any Encodable) -> JSONValue { (try? JSONValue(encoding: body)) ?? .null }

    /// Calls `method path` with an optional JSON body; returns the JSON answer.
    public func call(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var lastError: (any Error)?
        for server in servers {
            var request = HTTPClientRequest(url: server + path)
            request.method = HTTPMethod(rawValue: method)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
            }
            let response: HTTPClientResponse
            do {
                response = try await Self.http.execute(request, timeout: .seconds(20))
            } catch {
                lastError = error
                continue
            }
            let bytes: ByteBuffer
            do {
                bytes = try await response.body.collect(upTo: 16 << 20)
            } catch {
                // Cut off mid-answer: the server did not answer (whether it acted is unknown).
                throw MeetingsAPIError(status: 0, code: "unreachable", message: "\(server) stopped answering \(method) \(path): \(error). Try again.")
            }
            let json = bytes.readableBytes == 0 ? JSONValue.null : (try? JSONValue(parsing: Array(bytes.readableBytesView))) ?? .null
            guard (200..<300).contains(Int(response.status.code)) else {
                // Not the contract's body (a proxy's 502 page, say): the status says what it can.
                let refusal = try? json.decode(as: ErrorBody.self)
                throw MeetingsAPIError(
                    status: Int(response.status.code),
                    code: refusal?.error.code ?? "http_\(response.status.code)",
                    message: refusal?.error.message ?? "The server answered \(response.status.code) to \(method) \(path)."
                )
            }
            return json
        }
        throw MeetingsAPIError(status: 0, code: "unreachable", message: "Cannot reach \(servers.joined(separator: " or ")): \(lastError.map { "\($0)" } ?? "no server given"). Is the server running? (--server, MEET_SERVER)")
    }

    public func createMeeting(title: String) async throws -> MeetingState {
        try await call(MeetingsRoutes.createMeeting, body: RequestBody.Title(title: title))
    }

    public func join(_ meetingId: String) async throws -> MeetingState {
        try await call(MeetingsRoutes.join, meetingId)
    }

    public func snapshot(_ meetingId: String) async throws -> MeetingState {
        try await call(MeetingsRoutes.meeting, meetingId)
    }

    public func perform(_ action: RoomAction, in meetingId: String) async throws {
        let request = action.request(in: meetingId)
        _ = try await call(request.method, request.path, body: request.body.map(Self.encode))
    }
}
