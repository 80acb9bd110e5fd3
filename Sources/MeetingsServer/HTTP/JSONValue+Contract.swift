import MeetingsContract
import SocketIOProtocol

extension JSONValue {
    /// A contract value (snapshot, event, resource…) as the JSON the wire carries, keys in the
    /// contract's order.
    ///
    /// Not throwing: the contract's types hold only strings, integers, booleans and arrays or
    /// objects of them, which always encode; the fallback is never reached.
    init(contract value: some Encodable) {
        self = (try? JSONValue(encoding: value)) ?? .null
    }
}
