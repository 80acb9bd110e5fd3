/// A REST route of the contract: method, path template, and the types of its request body and
/// its answer. The server serves it; a client calls it; neither spells the path itself.
public struct Route<Body: Encodable & Sendable, Answer: Decodable & Sendable>: Sendable, CustomStringConvertible {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public let method: String
    /// The path with `{name}` for each parameter, e.g. `/api/meetings/{id}/hosts/{userId}`.
    public let template: String

    public init(_ method: String, _ template: String) {
        self.method = method
        self.template = template
    }

    /// The path with the parameters filled in, in the template's order; each value is
    /// percent-encoded as a path segment.
    public func path(_ values: String...) -> String { path(values) }

    /// ``path(_:)-(String...)`` with the values in an array.
    public func path(_ values: [String]) -> String {
        var values = values[...]
        return template.split(separator: "/", omittingEmptySubsequences: false).map { part in
            guard part.hasPrefix("{"), let value = values.popFirst() else { return String(part) }
            return Self.escape(value)
        }.joined(separator: "/")
    }

    /// The names of the template's parameters, in order.
    public var parameters: [String] {
        template.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    public var description: String { "\(method) \(template)" }

    /// RFC 3986 unreserved characters stay; every other byte is `%XX`.
    static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}

/// A route that takes no request body.
public struct NoBody: Codable, Sendable, Hashable {
    public init() {}
}
