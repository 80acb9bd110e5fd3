// A Socket.IO command-line client, for trying and debugging any Socket.IO v4/v5 server:
//   swift run sio-client http://localhost:3000 --auth '{"token":"123"}' --emit message '[1,"2"]' --for 3
// Prints each received event as one JSON line ({"event":…,"args":[…]}) and each connection
// state change; exits non-zero with the server's message when the connection is refused.
import Foundation
import SocketIOClient
import SocketIOProtocol

struct Options {
    var urls: [String] = []
    var transport = TransportMode.auto
    var namespace = "/"
    var auth: JSONValue?
    var emits: [(String, JSONValue)] = []
    /// Events emitted with an ack, printed as `{"ack":EVENT,"args":[…]}` when it comes.
    var acks: [(String, JSONValue)] = []
    var seconds: Double?
    var timing = false
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sio-client: \(message)\n".utf8))
    exit(2)
}

func printLine(_ value: JSONValue) {
    FileHandle.standardOutput.write(Data((value.jsonString + "\n").utf8))
}

func parse(_ arguments: [String]) -> Options {
    var options = Options()
    var index = 0
    func value(_ flag: String) -> String {
        index += 1
        guard index < arguments.count else { fail("\(flag) needs a value") }
        return arguments[index]
    }
    func json(_ text: String, _ flag: String) -> JSONValue {
        do { return try JSONValue(parsing: text) } catch { fail("\(flag) takes JSON: \(error)") }
    }
    while index < arguments.count {
        let argument = arguments[index]
        switch argument {
        case "--transport":
            guard let mode = TransportMode(rawValue: value(argument)) else { fail("--transport is auto, websocket or polling") }
            options.transport = mode
        case "--namespace": options.namespace = value(argument)
        case "--auth": options.auth = json(value(argument), argument)
        case "--emit", "--ack":
            let event = value(argument)
            let payload = json(value("\(argument) \(event)"), "\(argument) \(event)")
            if argument == "--emit" { options.emits.append((event, payload)) } else { options.acks.append((event, payload)) }
        case "--for":
            guard let seconds = Double(value(argument)), seconds >= 0 else { fail("--for takes seconds") }
            options.seconds = seconds
        case "--timing": options.timing = true
        case "--help", "-h":
            print("""
                usage: sio-client <url>... [--transport auto|websocket|polling] [--namespace /x] [--auth JSON]
                                  [--emit EVENT JSON]... [--ack EVENT JSON]... [--for SECONDS] [--timing]
                Connects, emits each --emit and each --ack (a JSON array is several arguments; the
                answer to an --ack is printed as {"ack":EVENT,"args":[…]}), prints every received
                event as {"event":…,"args":[…]} (with "ack":true when the server asked for one, which
                is answered with the same arguments) and every state change as {"state":…}. Binary
                is written {"_binary":"<base64>"}, in arguments and in what is printed. Runs until
                --for seconds have passed (then prints {"id":…,"recovered":…}), or until interrupted. --timing prints how long the connect
                (handshake, namespace and auth) took, as {"connectMs":…}.
                """)
            exit(0)
        default:
            guard !argument.hasPrefix("--") else { fail("unknown option \(argument); see --help") }
            options.urls.append(argument)
        }
        index += 1
    }
    if options.urls.isEmpty { fail("give the server URL, e.g. sio-client http://localhost:3000") }
    return options
}

func describe(_ state: ConnectionState) -> JSONValue {
    switch state {
    case .connecting(let attempt): ["state": "connecting", "attempt": .number(JSONNumber(attempt))]
    case .connected(let transport): ["state": "connected", "transport": .string(transport.rawValue)]
    case .reconnecting(let attempt, let nextIn):
        ["state": "reconnecting", "attempt": .number(JSONNumber(attempt)), "nextInMs": .number(JSONNumber(Int(nextIn / .milliseconds(1))))]
    case .disconnected(let reason): ["state": "disconnected", "reason": .string(reason.rawValue)]
    }
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
var configuration = SocketIOClientConfiguration()
configuration.transport = options.transport
let client: SocketIOClient
do {
    client = try SocketIOClient(urls: options.urls, configuration: configuration)
} catch {
    fail("\(error)")
}
let socket = client.socket(options.namespace)
let states = await client.stateChanges()
Task {
    var last: ConnectionState? = await client.state  // the initial "disconnected" is not news
    for await state in states where state != last {
        last = state
        printLine(describe(state))
    }
}
/// Binary as `{"_binary":"<base64>"}` for printing, and back for sending.
func printable(_ value: JSONValue) -> JSONValue {
    switch value {
    case .binary(let bytes): ["_binary": .string(Data(bytes).base64EncodedString())]
    case .array(let items): .array(items.map(printable))
    case .object(let object): .object(JSONObject(object.members.map { ($0.key, printable($0.value)) }))
    default: value
    }
}

func sendable(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
        if object.members.count == 1, let base64 = value["_binary"]?.stringValue, let bytes = Data(base64Encoded: base64) {
            return .binary(Array(bytes))
        }
        return .object(JSONObject(object.members.map { ($0.key, sendable($0.value)) }))
    case .array(let items): return .array(items.map(sendable))
    default: return value
    }
}

func arguments(_ payload: JSONValue) -> [JSONValue] {
    if case .array(let items) = sendable(payload) { items } else { [sendable(payload)] }
}

await socket.onAny { event, arguments, ack in
    var line: [(String, JSONValue)] = [("event", .string(event)), ("args", printable(.array(arguments)))]
    if let ack {
        line.append(("ack", true))
        await ack.send(arguments: arguments)
    }
    printLine(.object(JSONObject(line)))
}

let started = ContinuousClock.now
do {
    try await socket.connect(auth: options.auth)
} catch {
    fail("\(error)")
}
if options.timing {
    let elapsed = ContinuousClock.now - started
    printLine(["connectMs": .number(JSONNumber(Double(elapsed / .microseconds(1)) / 1000))])
}
for (event, payload) in options.emits {
    try await socket.emit(event, arguments: arguments(payload))
}
for (event, payload) in options.acks {
    Task {
        do {
            let reply = try await socket.emitWithAck(event, arguments: arguments(payload))
            printLine(["ack": .string(event), "args": printable(.array(reply))])
        } catch {
            printLine(["ack": .string(event), "error": .string("\(error)")])
        }
    }
}
if let seconds = options.seconds {
    try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    printLine(["id": (await socket.id).map { .string($0) } ?? .null, "recovered": .bool(await socket.recovered)])
    await client.disconnect()
} else {
    while true { try await Task.sleep(for: .seconds(3600)) }
}
