// The JSON parser: parsing never crashes, and a parsed value serializes to text that parses to
// the same value.
import SocketIOProtocol

func fuzz(_ bytes: [UInt8]) {
    guard let value = try? JSONValue(parsing: text(bytes)) else { return }
    let again = try? JSONValue(parsing: value.jsonString)
    require(again == value, "\(value.jsonString) reads back as \(String(describing: again))")
}
