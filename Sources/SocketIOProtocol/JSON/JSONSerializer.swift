import Foundation

/// Writes JSON compactly, as JavaScript's `JSON.stringify` does: no spaces, `/` not escaped,
/// control characters as `\n`-style or `\u00XX` escapes.
///
/// Binary leaves are written as `{"_placeholder":true,"num":n}` and collected in order, as the
/// Socket.IO encoder needs them.
struct JSONSerializer {
    var output: [UInt8] = []
    var attachments: [[UInt8]] = []
    /// Where attachments cannot travel (CONNECT, CONNECT_ERROR), binary is written as base64 text.
    var binaryAsBase64 = false

    init(reservingCapacity capacity: Int = 64) { output.reserveCapacity(capacity) }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let string): writeString(string)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(item)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (offset, member) in object.storage.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                write(member.value)
            }
            output.append(UInt8(ascii: "}"))
        case .binary(let bytes) where binaryAsBase64:
            writeString(Data(bytes).base64EncodedString())
        case .binary(let bytes):
            append("{\"_placeholder\":true,\"num\":")
            output.append(contentsOf: String(attachments.count).utf8)
            output.append(UInt8(ascii: "}"))
            attachments.append(bytes)
        }
    }

    private mutating func append(_ text: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0..<0x20:
                append("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// The compact JSON text (binary leaves appear as placeholders).
    public var jsonString: String {
        var serializer = JSONSerializer()
        serializer.write(self)
        return String(decoding: serializer.output, as: UTF8.self)
    }

    /// The compact JSON bytes (binary leaves appear as placeholders).
    public var jsonBytes: [UInt8] {
        var serializer = JSONSerializer()
        serializer.write(self)
        return serializer.output
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonString }
}
