/// A JSON value as Socket.IO carries it: JSON plus binary leaves, which travel as attachments.
///
/// Objects keep their key order, and numbers keep their text, so a value that is parsed and
/// written again comes out byte for byte as it came in (as JavaScript's `JSON.stringify` does).
///
/// ```swift
/// let value = try JSONValue(parsing: #"{"b":1,"a":[true,null]}"#)
/// value.jsonString                 // {"b":1,"a":[true,null]}
/// value["a"]?[0]                   // .bool(true)
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
    /// Bytes: sent as a binary attachment with a `{"_placeholder":true,"num":n}` in the JSON.
    case binary([UInt8])
}

/// A JSON number, kept as its text so that it round-trips exactly.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written in JSON, e.g. `42`, `-1.5`, `1e3`.
    public let text: String

    /// Wraps text already known to be a valid JSON number (the parser's path).
    init(validatedText text: String) { self.text = text }

    /// An integer.
    public init(_ value: Int) { self.text = String(value) }

    /// A floating-point number; integral values are written without a fraction, as JavaScript does.
    /// Non-finite values have no JSON form: they are written as `null`, as `JSON.stringify` does.
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int(value))
        } else if value.isFinite {
            self.text = "\(value)"
        } else {
            self.text = "null"
        }
    }

    /// The value as a `Double`.
    public var doubleValue: Double? { Double(text) }
    /// The value as an `Int`, if it is integral and fits.
    public var intValue: Int? {
        if let int = Int(text) { return int }
        guard let double = Double(text), double == double.rounded(), abs(double) < 9.0e15 else { return nil }
        return Int(double)
    }

    public var description: String { text }
}

/// A JSON object: members in their order. Lookup returns the last member with a key, as
/// JavaScript's `JSON.parse` keeps the last duplicate.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The members, in order.
    public var members: [(key: String, value: JSONValue)] {
        get { storage.map { ($0.key, $0.value) } }
        set { storage = newValue.map { Member(key: $0.key, value: $0.value) } }
    }

    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    var storage: [Member]

    /// An empty object.
    public init() { storage = [] }

    /// An object with these members, in this order.
    public init(_ members: [(String, JSONValue)]) {
        storage = members.map { Member(key: $0.0, value: $0.1) }
    }

    /// The value for a key, or `nil`. Setting replaces the member in place, or appends it.
    public subscript(key: String) -> JSONValue? {
        get { storage.last { $0.key == key }?.value }
        set {
            if let index = storage.lastIndex(where: { $0.key == key }) {
                if let newValue { storage[index].value = newValue } else { storage.remove(at: index) }
            } else if let newValue {
                storage.append(Member(key: key, value: newValue))
            }
        }
    }

    /// The number of members.
    public var count: Int { storage.count }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        storage.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }
}

extension JSONValue {
    /// The member of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element of an array, or `nil` when out of range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The integer, if this is an integral number.
    public var intValue: Int? {
        if case .number(let number) = self { return number.intValue }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// Whether this value holds binary anywhere inside.
    public var containsBinary: Bool {
        switch self {
        case .binary: true
        case .array(let items): items.contains { $0.containsBinary }
        case .object(let object): object.storage.contains { $0.value.containsBinary }
        default: false
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
