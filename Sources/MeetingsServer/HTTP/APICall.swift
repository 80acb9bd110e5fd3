import Hummingbird
import SocketIOProtocol

/// One REST request as a handler sees it: who calls, the path parameters, the query and the
/// JSON body, with accessors that refuse a bad field with a message naming it.
struct APICall: Sendable {
    var caller: Caller
    var parameters: [String: String]
    var query: [String: String]
    var body: JSONObject

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// A required string field.
    func string(_ field: String) throws(MeetingError) -> String {
        guard let value = body[field] else { throw .invalid("'\(field)' is required.") }
        guard case .string(let text) = value else { throw .invalid("'\(field)' must be a string.") }
        return text
    }

    /// An optional string field (absent or null is nil).
    func optionalString(_ field: String) throws(MeetingError) -> String? {
        switch body[field] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalid("'\(field)' must be a string.")
        }
    }

    /// An optional integer field.
    func optionalInt(_ field: String) throws(MeetingError) -> Int? {
        switch body[field] {
        case nil, .null?: return nil
        case .number(let number)?:
            guard let value = number.intValue else { throw .invalid("'\(field)' must be an integer; got \(number.text).") }
            return value
        default: throw .invalid("'\(field)' must be an integer.")
        }
    }

    /// A required integer field.
    func int(_ field: String) throws(MeetingError) -> Int {
        guard let value = try optionalInt(field) else { throw .invalid("'\(field)' is required.") }
        return value
    }
}
