import MeetingsContract
import Foundation
import HTTPTypes
import Hummingbird
@testable import MeetingsServer
import SocketIOProtocol
import Testing

/// `GET /openapi.json` describes exactly the routes that exist.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// `POST /api/meetings/:id` → `POST /api/meetings/{id}`.
    static func openAPIPath(_ route: String) -> String {
        let parts: [String] = route.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{" + String(part.dropFirst()) + "}" : String(part)
        }
        return parts.joined(separator: "/")
    }

    @Test func documentAndRoutesMatch() async throws {
        var configuration = MeetingsServerConfiguration(jwtSecret: testSecret)
        configuration.databaseURL = ":memory:"
        let app = try await MeetingsServerApp(configuration: configuration)
        // The router's routes, minus Socket.IO's own, in OpenAPI's path syntax.
        let served = Set(app.restRoutes.filter { !$0.contains("/socket.io") }.map(Self.openAPIPath))
        try await withMeetingsServer { server in
            let document = try await server.call(.get, "/openapi.json", as: nil).json
            #expect(document["openapi"] == "3.0.3")
            var described = Set<String>()
            guard case .object(let paths)? = document["paths"] else {
                Issue.record("no paths in \(document)")
                return
            }
            for (path, operations) in paths {
                guard case .object(let methods) = operations else { continue }
                for (method, _) in methods { described.insert("\(method.uppercased()) \(path)") }
            }
            #expect(served == described, "served but not described: \(served.subtracting(described)); described but not served: \(described.subtracting(served))")
            #expect(served.count == 28)
        }
    }

    @Test func everyReferenceResolves() async throws {
        try await withMeetingsServer { server in
            let document = try await server.call(.get, "/openapi.json", as: nil).json
            let text = document.jsonString
            var references = Set<String>()
            var rest = Substring(text)
            while let range = rest.range(of: "#/components/schemas/") {
                rest = rest[range.upperBound...]
                references.insert(String(rest.prefix { $0 != "\"" }))
            }
            #expect(!references.isEmpty)
            for name in references {
                #expect(document["components"]?["schemas"]?[name] != nil, "\(name)")
            }
        }
    }

    /// The contract's limits are in the document as schema keywords, the same the server checks.
    @Test func limitsAreSchemaKeywords() async throws {
        try await withMeetingsServer { server in
            let document = try await server.call(.get, "/openapi.json", as: nil).json
            func body(_ path: String, _ method: String) -> JSONValue? {
                document["paths"]?[path]?[method]?["requestBody"]?["content"]?["application/json"]?["schema"]?["properties"]
            }
            let title = body("/api/meetings", "post")?["title"]
            #expect(title?["minLength"] == 1)
            #expect(title?["maxLength"] == .number(JSONNumber(MeetingLimits.titleMax)))
            #expect(title?["pattern"] == "\\S", "a blank title does not fit")
            let volume = body("/api/meetings/{id}/music/volume", "put")?["volume"]
            #expect(volume?["minimum"] == 0 && volume?["maximum"] == 100)
            let track = body("/api/meetings/{id}/music/start", "post")
            #expect(track?["volume"]?["nullable"] == true, "an optional field may be null")
            #expect(body("/api/meetings/{id}/messages", "post")?["text"]?["maxLength"] == .number(JSONNumber(MeetingLimits.textMax)))
            #expect(body("/api/meetings/{id}/resources", "post")?["url"]?["maxLength"] == .number(JSONNumber(MeetingLimits.urlMax)))
            #expect(body("/api/meetings/{id}/hosts", "post")?["userId"]?["pattern"] == "^[A-Za-z0-9._@-]+$")
            let parameters = document["paths"]?["/api/meetings/{id}/participants/{userId}/remove"]?["post"]?["parameters"]?.arrayValue ?? []
            #expect(parameters.first { $0["name"] == "id" }?["schema"]?["pattern"] == "^[A-Za-z0-9_-]+$")
            #expect(parameters.first { $0["name"] == "userId" }?["schema"]?["maxLength"] == 64)
        }
    }
}
