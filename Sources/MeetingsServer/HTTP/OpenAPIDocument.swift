import MeetingsContract
import HTTPTypes
import SocketIOProtocol

/// The OpenAPI 3 document of the REST API, built from the route table.
enum OpenAPIDocument {
    static func make(_ routes: [APIRoute]) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in unique(routes.map(\.path)) {
            var operations: [(String, JSONValue)] = []
            for route in routes where route.path == path {
                operations.append((route.method.rawValue.lowercased(), operation(route)))
            }
            paths.append((path, .object(JSONObject(operations))))
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "meet: meetings service",
                "version": "1.0.0",
                "description": "REST API of the meetings service. Live events go over Socket.IO v5 at /socket.io/ (see the contract).",
            ],
            "paths": .object(JSONObject(paths)),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": schemas,
            ],
        ]
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    private static func reference(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    private static func operation(_ route: APIRoute) -> JSONValue {
        var members: [(String, JSONValue)] = [("summary", .string(route.summary))]
        let parameters: [JSONValue] =
            route.pathParameters.map { name in
                let limits = name == "id" ? APIRoute.meetingIdLimits : APIRoute.userIdLimits
                return ["name": .string(name), "in": "path", "required": true, "schema": .object(JSONObject([("type", "string")] + limits))]
            } + route.query.map { field in
                ["name": .string(field.name), "in": "query", "required": .bool(field.required),
                 "description": .string(field.description), "schema": field.schema(inBody: false)]
            }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if !route.body.isEmpty {
            let properties = route.body.map { ($0.name, $0.schema(inBody: true)) }
            let required = route.body.filter(\.required).map { JSONValue.string($0.name) }
            var schema: [(String, JSONValue)] = [("type", "object"), ("properties", .object(JSONObject(properties)))]
            if !required.isEmpty { schema.append(("required", .array(required))) }
            members.append(("requestBody", [
                "required": .bool(!required.isEmpty),
                "content": ["application/json": ["schema": .object(JSONObject(schema))]],
            ]))
        }
        var responses: [(String, JSONValue)] = [
            (String(route.status.code), ["description": "success", "content": [route.contentType: ["schema": reference(route.response)]]]),
        ]
        if route.authenticated {
            for (status, description) in [
                ("400", "invalid_request"), ("401", "unauthorized"), ("403", "not_host, not_participant or removed"),
                ("404", "not_found"), ("409", "conflict"), ("410", "gone"), ("413", "payload_too_large"),
                ("423", "meeting_locked"), ("429", "rate_limited (Retry-After is set)"),
            ] {
                responses.append((status, ["description": .string(description), "content": ["application/json": ["schema": reference("Error")]]]))
            }
            members.append(("security", [["bearer": []]]))
        }
        members.append(("responses", .object(JSONObject(responses))))
        return .object(JSONObject(members))
    }

    private static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object"), ("properties", .object(JSONObject(properties)))]
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        return .object(JSONObject(members))
    }

    private static let string: JSONValue = ["type": "string"]
    private static let time: JSONValue = ["type": "string", "format": "date-time"]
    private static let integer: JSONValue = ["type": "integer"]
    private static let boolean: JSONValue = ["type": "boolean"]

    private static var schemas: JSONValue {
        let participant = object([
            ("userId", string), ("name", string), ("role", ["type": "string", "enum": ["host", "participant"]]),
            ("joinedAt", time), ("online", boolean),
        ])
        let resource = object([("id", string), ("title", string), ("url", string), ("sharedBy", string), ("sharedAt", time)])
        let message = object([("id", string), ("userId", string), ("name", string), ("text", string), ("at", time)])
        let meeting = object([
            ("id", string), ("title", string), ("createdBy", string), ("createdAt", time), ("seq", integer), ("locked", boolean),
            ("participants", ["type": "array", "items": reference("Participant")]),
            ("hands", ["type": "array", "items": object([("userId", string), ("raisedAt", time), ("position", integer)])]),
            ("music", object([("playing", boolean), ("track", string), ("volume", integer), ("startedBy", string), ("startedAt", time)], required: ["playing"])),
            ("recording", object([("active", boolean), ("startedBy", string), ("startedAt", time)], required: ["active"])),
            ("screenshare", object([("active", boolean), ("userId", string), ("startedAt", time)], required: ["active"])),
            ("resources", ["type": "array", "items": reference("Resource")]),
            ("messages", ["type": "array", "items": reference("Message")]),
            ("ended", boolean),
        ], required: ["id", "title", "createdBy", "createdAt", "seq", "locked", "participants", "hands", "music", "recording", "screenshare", "resources", "messages", "ended"])
        return [
            "Error": object([("error", object([("code", string), ("message", string)], required: ["code", "message"]))], required: ["error"]),
            "Participant": participant,
            "Resource": resource,
            "Message": message,
            "Meeting": meeting,
            "MeetingSummaryList": ["type": "array", "items": object([
                ("id", string), ("title", string), ("createdBy", string), ("createdAt", time), ("locked", boolean), ("participantCount", integer),
            ])],
            "EventList": ["type": "array", "items": object([("event", string), ("data", ["type": "object"])], required: ["event", "data"])],
            "Health": object([("status", string), ("database", string)], required: ["status"]),
            "OpenAPI": ["type": "object"],
            "Metrics": ["type": "string", "description": "Prometheus text exposition format 0.0.4"],
        ]
    }
}
