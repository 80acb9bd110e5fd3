@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// The fixed clock of these tests: every time is a number of seconds after
/// 2026-11-27T10:00:00.000Z.
enum Fixture {
    static let start = Timestamp(milliseconds: 1_795_773_600_000)

    /// `seconds` after ``start``.
    static func time(_ seconds: Int) -> Timestamp {
        Timestamp(milliseconds: start.milliseconds + Int64(seconds) * 1000)
    }

    /// The wire form of ``time(_:)``: ISO 8601 UTC with milliseconds, as the server writes it.
    static func iso(_ seconds: Int) -> JSONValue {
        .string(time(seconds).description)
    }
}

/// A participant of a test meeting, as the snapshot and `meeting:participant-joined` show them.
struct Person: Sendable {
    var userId: String
    var name: String
    var host = false
    /// Seconds after ``Fixture/start``.
    var joinedAt = 0
    var online = true

    var json: JSONValue {
        [
            "userId": .string(userId), "name": .string(name), "role": .string(host ? "host" : "participant"),
            "joinedAt": Fixture.iso(joinedAt), "online": .bool(online),
        ]
    }

    static let alice = Person(userId: "alice", name: "Alice", host: true)
    static let bob = Person(userId: "bob", name: "Bob")
    static let carol = Person(userId: "carol", name: "Carol")
    static let dave = Person(userId: "dave", name: "Dave")
}

/// Builds a snapshot (meetings-api §3) exactly as the server sends it: meeting "m1" created by
/// alice, keys in the contract's order. Times are seconds after ``Fixture/start``.
struct SnapshotBuilder {
    var title = "Weekly sync"
    var seq = 0
    var locked = false
    var participants: [Person] = []
    /// The queue, in order; positions are written from it.
    var hands: [(userId: String, raisedAt: Int)] = []
    var music: (track: String, volume: Int, startedBy: String, startedAt: Int)?
    var recording: (startedBy: String, startedAt: Int)?
    var screenshare: (userId: String, startedAt: Int)?
    var resources: [JSONValue] = []
    var messages: [JSONValue] = []
    var ended = false

    var json: JSONValue {
        let music: JSONValue = self.music.map {
            ["playing": true, "track": .string($0.track), "volume": .number(JSONNumber($0.volume)),
             "startedBy": .string($0.startedBy), "startedAt": Fixture.iso($0.startedAt)]
        } ?? ["playing": false]
        let recording: JSONValue = self.recording.map {
            ["active": true, "startedBy": .string($0.startedBy), "startedAt": Fixture.iso($0.startedAt)]
        } ?? ["active": false]
        let screenshare: JSONValue = self.screenshare.map {
            ["active": true, "userId": .string($0.userId), "startedAt": Fixture.iso($0.startedAt)]
        } ?? ["active": false]
        let hands: [JSONValue] = self.hands.enumerated().map { index, hand in
            ["userId": .string(hand.userId), "raisedAt": Fixture.iso(hand.raisedAt), "position": .number(JSONNumber(index + 1))]
        }
        return [
            "id": "m1",
            "title": .string(title),
            "createdBy": "alice",
            "createdAt": Fixture.iso(0),
            "seq": .number(JSONNumber(seq)),
            "locked": .bool(locked),
            "participants": .array(participants.map(\.json)),
            "hands": .array(hands),
            "music": music,
            "recording": recording,
            "screenshare": screenshare,
            "resources": .array(resources),
            "messages": .array(messages),
            "ended": .bool(ended),
        ]
    }
}

/// The wire form of a snapshot from a configured ``SnapshotBuilder``.
func snapshotJSON(seq: Int = 0, _ configure: (inout SnapshotBuilder) -> Void = { _ in }) -> JSONValue {
    var builder = SnapshotBuilder()
    builder.seq = seq
    configure(&builder)
    return builder.json
}

/// A snapshot from a configured ``SnapshotBuilder``, read by the contract's decoder as the
/// client reads the server's.
func snapshot(seq: Int = 0, _ configure: (inout SnapshotBuilder) -> Void = { _ in }) -> MeetingState {
    decodeSnapshot(snapshotJSON(seq: seq, configure))
}

/// A hand-written snapshot read by the contract's decoder (a fixture that does not decode is
/// a broken test).
func decodeSnapshot(_ json: JSONValue) -> MeetingState {
    do {
        return try json.decode(as: MeetingState.self)
    } catch {
        preconditionFailure("fixture snapshot does not decode: \(error)")
    }
}

extension RoomState {
    /// A room from a snapshot's JSON, read by the contract's decoder.
    init(snapshot json: JSONValue) throws {
        self.init(try json.decode(as: MeetingState.self))
    }
}

/// A resource as the snapshot and `meeting:resource-shared` show it.
func resourceJSON(id: String, title: String, url: String, sharedBy: String, at seconds: Int = 0) -> JSONValue {
    ["id": .string(id), "title": .string(title), "url": .string(url), "sharedBy": .string(sharedBy), "sharedAt": Fixture.iso(seconds)]
}

/// A chat message as the snapshot and `meeting:message` show it.
func messageJSON(id: String, userId: String, name: String, text: String, at seconds: Int = 0) -> JSONValue {
    ["id": .string(id), "userId": .string(userId), "name": .string(name), "text": .string(text), "at": Fixture.iso(seconds)]
}

/// An event payload (meetings-api §5): `meetingId` "m1", `seq`, `at`, then the event's own fields.
func event(_ name: String, seq: Int, at seconds: Int = 0, extra: [(String, JSONValue)] = []) -> JSONValue {
    var members: [(String, JSONValue)] = [("meetingId", .string("m1")), ("seq", .number(JSONNumber(seq))), ("at", Fixture.iso(seconds))]
    members += extra
    return .object(JSONObject(members))
}

/// The live event as the runtime hands it to the reducer: the wire's JSON read by the
/// contract's decoder, as ``LiveRoom`` reads it.
func roomEvent(_ name: String, seq: Int, at seconds: Int = 0, _ extra: [(String, JSONValue)] = []) -> ClientMessage {
    do {
        return .event(try MeetingEvent(name: name, json: event(name, seq: seq, at: seconds, extra: extra).jsonBytes))
    } catch {
        // Only an event the contract does not have may be unreadable on purpose.
        if EventName(rawValue: name) != nil { Issue.record("the fixture \(name) does not decode: \(error)") }
        return .unreadableEvent("\(name): \(error)")
    }
}

/// A `meeting:hand-raised` for `userId`, raised at `at`.
func handRaised(_ userId: String, seq: Int, at seconds: Int = 0, position: Int = 1) -> ClientMessage {
    roomEvent("meeting:hand-raised", seq: seq, at: seconds,
              [("userId", .string(userId)), ("raisedAt", Fixture.iso(seconds)), ("position", .number(JSONNumber(position)))])
}

extension JSONValue {
    /// This object with `key` set to `value`.
    func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }

    /// This object without `key`.
    func removing(_ key: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = nil
        return .object(object)
    }
}

/// A client of meeting "m1" that is connected over WebSocket and has `snapshot`.
func connectedModel(
    me: String = "alice", options: ClientModel.Options = ClientModel.Options(), now: Timestamp = Fixture.start, snapshot state: MeetingState
) -> ClientModel {
    var model = ClientModel(me: me, meetingId: "m1", options: options, now: now)
    _ = model.update(.connection(.connected(transport: "websocket")))
    _ = model.update(.snapshot(state))
    return model
}

extension ClientModel {
    /// Presses keys one after the other; returns every effect.
    @discardableResult
    mutating func hit(_ keys: Key...) -> [ClientEffect] {
        var effects: [ClientEffect] = []
        for key in keys { effects += update(.key(key)) }
        return effects
    }

    /// Types text, a character at a time.
    @discardableResult
    mutating func typeText(_ text: String) -> [ClientEffect] {
        var effects: [ClientEffect] = []
        for character in text { effects += update(.key(.character(character))) }
        return effects
    }

    /// `:`, the command line, Enter.
    mutating func command(_ line: String) -> [ClientEffect] {
        var effects = hit(.character(":"))
        effects += typeText(line)
        effects += hit(.enter)
        return effects
    }
}

extension Array where Element == ClientEffect {
    /// The effects without the room's notices (which tests of hooks and announcements read).
    var ignoringNotices: [ClientEffect] {
        filter { if case .notice = $0 { false } else { true } }
    }

    /// The room's notices among the effects.
    var notices: [RoomNotice] {
        compactMap { if case .notice(let notice) = $0 { notice } else { nil } }
    }
}

/// The screen `model` draws on a `rows`×`columns` grid (one frame).
func render(_ model: ClientModel, rows: Int = 24, columns: Int = 80) -> CellGrid {
    var grid = CellGrid(rows: rows, columns: columns)
    Layout(model: model).draw(on: &grid)
    return grid
}
