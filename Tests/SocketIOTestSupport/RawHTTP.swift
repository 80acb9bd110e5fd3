import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An HTTP response as a test sees it.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String

    /// The first value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Plain HTTP requests for Engine.IO polling tests.
public enum RawHTTP {
    /// Sends a request and collects the whole response.
    public static func request(
        _ method: String,
        _ url: String,
        body: String? = nil,
        headers: [(String, String)] = [],
        timeout: Duration = .seconds(5),
        freshConnection: Bool = false
    ) async throws -> RawResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                request.headers.add(name: "Content-Type", value: "text/plain;charset=UTF-8")
            }
        }
        let deadline = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + Int64(timeout.components.attoseconds / 1_000_000_000))
        // A WebSocket upgrade is only honoured as the first request of a connection.
        let client = freshConnection ? HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup) : HTTPClient.shared
        let bytes: ByteBuffer
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: deadline)
            bytes = try await response.body.collect(upTo: 1 << 24)
        } catch {
            if freshConnection { try? await client.shutdown() }
            throw error
        }
        if freshConnection { try await client.shutdown() }
        return RawResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: bytes)
        )
    }

    /// GET.
    public static func get(_ url: String, timeout: Duration = .seconds(5)) async throws -> RawResponse {
        try await request("GET", url, timeout: timeout)
    }

    /// POST with a text body.
    public static func post(_ url: String, body: String, timeout: Duration = .seconds(5)) async throws -> RawResponse {
        try await request("POST", url, body: body, timeout: timeout)
    }
}
