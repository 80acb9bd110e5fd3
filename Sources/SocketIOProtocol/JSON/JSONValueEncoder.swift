import Foundation

/// Encodes `Encodable` values straight into a ``JSONValue``, keeping the order in which keys
/// are encoded (declaration order for synthesized `Codable`), so the wire bytes are stable.
///
/// `Date` becomes an ISO 8601 string, `URL` its absolute string, and `Data` / `[UInt8]` a
/// binary value (a Socket.IO attachment).
struct JSONValueEncoder {
    func encode(_ value: some Encodable) throws -> JSONValue {
        try Self.box(value, codingPath: [])
    }

    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONValue {
        switch value {
        case let json as JSONValue: return json
        case let date as Date: return .string(date.formatted(.iso8601))
        case let url as URL: return .string(url.absoluteString)
        case let data as Data: return .binary([UInt8](data))
        // Exactly `[UInt8]`: an empty array of any element type also casts to `[UInt8]`.
        case let bytes as [UInt8] where type(of: value) == [UInt8].self: return .binary(bytes)
        default:
            let encoder = Encoder(codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.node.value
        }
    }

    /// A tree under construction: containers are shared references until encoding finishes.
    final class Node {
        enum Kind {
            case value(JSONValue)
            case object([(String, Node)])
            case array([Node])
        }

        var kind: Kind = .value(.null)

        var value: JSONValue {
            switch kind {
            case .value(let value): return value
            case .object(let members): return .object(JSONObject(members.map { ($0.0, $0.1.value) }))
            case .array(let items): return .array(items.map(\.value))
            }
        }

        func member(_ key: String) -> Node {
            if case .object(var members) = kind {
                if let existing = members.first(where: { $0.0 == key }) { return existing.1 }
                let node = Node()
                members.append((key, node))
                kind = .object(members)
                return node
            }
            let node = Node()
            kind = .object([(key, node)])
            return node
        }

        func append() -> Node {
            let node = Node()
            if case .array(var items) = kind {
                items.append(node)
                kind = .array(items)
            } else {
                kind = .array([node])
            }
            return node
        }
    }

    final class Encoder: Swift.Encoder {
        let codingPath: [any CodingKey]
        let userInfo: [CodingUserInfoKey: Any] = [:]
        let node: Node

        init(codingPath: [any CodingKey], node: Node = Node()) {
            self.codingPath = codingPath
            self.node = node
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.kind {} else { node.kind = .object([]) }
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.kind {} else { node.kind = .array([]) }
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(node: node, codingPath: codingPath)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).kind = .value(.null) }

        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            node.member(key.stringValue).kind = .value(try JSONValueEncoder.box(value, codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            Encoder(codingPath: codingPath + [key], node: node.member(key.stringValue)).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Encoder(codingPath: codingPath + [key], node: node.member(key.stringValue)).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder {
            Encoder(codingPath: codingPath, node: node.member("super"))
        }

        mutating func superEncoder(forKey key: Key) -> any Swift.Encoder {
            Encoder(codingPath: codingPath + [key], node: node.member(key.stringValue))
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let items) = node.kind { return items.count }
            return 0
        }

        mutating func encodeNil() throws { node.append().kind = .value(.null) }

        mutating func encode(_ value: some Encodable) throws {
            node.append().kind = .value(try JSONValueEncoder.box(value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            Encoder(codingPath: codingPath, node: node.append()).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            Encoder(codingPath: codingPath, node: node.append()).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder {
            Encoder(codingPath: codingPath, node: node.append())
        }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.kind = .value(try Self.number(value, codingPath)) }
        mutating func encode(_ value: Float) throws { node.kind = .value(try Self.number(Double(value), codingPath)) }
        mutating func encode(_ value: Int) throws { node.kind = .value(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int8) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: Int16) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: Int32) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: Int64) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: UInt) throws { node.kind = .value(.number(JSONNumber(validatedText: String(value)))) }
        mutating func encode(_ value: UInt8) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: UInt16) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: UInt32) throws { node.kind = .value(.number(JSONNumber(Int(value)))) }
        mutating func encode(_ value: UInt64) throws { node.kind = .value(.number(JSONNumber(validatedText: String(value)))) }
        mutating func encode(_ value: some Encodable) throws {
            node.kind = .value(try JSONValueEncoder.box(value, codingPath: codingPath))
        }

        private static func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
            guard value.isFinite else {
                throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) has no JSON form"))
            }
            return .number(JSONNumber(value))
        }
    }
}
