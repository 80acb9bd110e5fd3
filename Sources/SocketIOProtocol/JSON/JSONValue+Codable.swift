import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let int = try? container.decode(Int.self) {
            self = .number(JSONNumber(int))
        } else if let double = try? container.decode(Double.self) {
            self = .number(JSONNumber(double))
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            let dictionary = try container.decode([String: JSONValue].self)
            self = .object(JSONObject(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
    }

    /// Encodes the value; binary leaves are encoded as base64 strings (a plain JSON context has
    /// no attachments).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number):
            if let int = Int(number.text) { try container.encode(int) } else { try container.encode(number.doubleValue ?? 0) }
        case .string(let string): try container.encode(string)
        case .array(let items): try container.encode(items)
        case .object(let object):
            try container.encode(Dictionary(object.storage.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
        case .binary(let bytes): try container.encode(Data(bytes).base64EncodedString())
        }
    }
}

extension JSONValue {
    /// Converts any `Encodable` value into a `JSONValue`, keys in the order they are encoded
    /// (declaration order for synthesized conformances).
    ///
    /// `JSONValue` passes through; `[UInt8]` and `Data` become ``JSONValue/binary(_:)`` (a
    /// Socket.IO attachment); `Date` becomes an ISO 8601 string.
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder().encode(value)
    }

    /// Decodes this value as `T`.
    ///
    /// `JSONValue` passes through; `[UInt8]` and `Data` take a binary value.
    /// - Throws: `DecodingError` when the value does not have T's shape.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        if let same = self as? T { return same }
        if case .binary(let bytes) = self {
            if let result = bytes as? T { return result }
            if let result = Data(bytes) as? T { return result }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(jsonBytes))
    }
}
