import MeetingsServer
import SocketIOProtocol

/// A meeting as the client holds it: the server's snapshot (meetings-api §3), kept current by
/// applying `seq`-ordered events.
public struct RoomState: Sendable, Hashable {
    public struct Participant: Sendable, Hashable {
        public var userId: String
        public var name: String
        public var isHost: Bool
        public var joinedAt: Timestamp
        public var online: Bool
    }

    // The contract's shapes, shared with the server's domain.
    public typealias Hand = MeetingsServer.Hand
    public typealias Music = MeetingsServer.Music
    public typealias Recording = MeetingsServer.Recording
    public typealias Screenshare = MeetingsServer.Screenshare
    public typealias Resource = MeetingsServer.Resource
    public typealias Message = MeetingsServer.ChatMessage

    public var id: String
    public var title: String
    public var createdBy: String
    public var seq: Int
    public var locked: Bool
    public var ended: Bool
    public var participants: [Participant]
    public var hands: [Hand]
    public var music: Music?
    public var recording: Recording?
    public var screenshare: Screenshare?
    public var resources: [Resource]
    public var messages: [Message]
    /// Every name seen for a user id, so people who left keep their name in the log.
    public var names: [String: String] = [:]

    public func participant(_ userId: String) -> Participant? { participants.first { $0.userId == userId } }

    /// A display name for a user id: the participant's name, else the id.
    public func name(of userId: String) -> String { participant(userId)?.name ?? names[userId] ?? userId }

    /// The 1-based place of a raised hand in the queue.
    public func handPosition(_ userId: String) -> Int? { hands.firstIndex { $0.userId == userId }.map { $0 + 1 } }
}

/// A snapshot or event payload did not have the contract's shape.
public struct RoomDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension RoomState {
    /// Reads a snapshot.
    public init(snapshot json: JSONValue) throws {
        let reader = FieldReader(json, "snapshot")
        id = try reader.string("id")
        title = try reader.string("title")
        createdBy = try reader.string("createdBy")
        seq = try reader.int("seq")
        locked = try reader.bool("locked")
        ended = (try? reader.bool("ended")) ?? false
        participants = try reader.array("participants").map(RoomState.participant(from:))
        hands = try reader.array("hands").map { value in
            let hand = FieldReader(value, "hand")
            return Hand(userId: try hand.string("userId"), raisedAt: try hand.time("raisedAt"))
        }
        let music = FieldReader(try reader.value("music"), "music")
        self.music = try music.bool("playing")
            ? Music(track: try music.string("track"), volume: try music.int("volume"), startedBy: try music.string("startedBy"), startedAt: try music.time("startedAt"))
            : nil
        let recording = FieldReader(try reader.value("recording"), "recording")
        self.recording = try recording.bool("active")
            ? Recording(startedBy: try recording.string("startedBy"), startedAt: try recording.time("startedAt"))
            : nil
        let screenshare = FieldReader(try reader.value("screenshare"), "screenshare")
        self.screenshare = try screenshare.bool("active")
            ? Screenshare(userId: try screenshare.string("userId"), startedAt: try screenshare.time("startedAt"))
            : nil
        resources = try reader.array("resources").map(RoomState.resource(from:))
        messages = try reader.array("messages").map(RoomState.message(from:))
        for participant in participants { names[participant.userId] = participant.name }
        for message in messages where names[message.userId] == nil { names[message.userId] = message.name }
    }

    static func participant(from json: JSONValue) throws -> Participant {
        let reader = FieldReader(json, "participant")
        return Participant(
            userId: try reader.string("userId"), name: try reader.string("name"), isHost: try reader.string("role") == "host",
            joinedAt: try reader.time("joinedAt"), online: try reader.bool("online")
        )
    }

    static func resource(from json: JSONValue) throws -> Resource {
        let reader = FieldReader(json, "resource")
        return Resource(id: try reader.string("id"), title: try reader.string("title"), url: try reader.string("url"),
                        sharedBy: try reader.string("sharedBy"), sharedAt: try reader.time("sharedAt"))
    }

    static func message(from json: JSONValue) throws -> Message {
        let reader = FieldReader(json, "message")
        return Message(id: try reader.string("id"), userId: try reader.string("userId"), name: try reader.string("name"),
                       text: try reader.string("text"), at: try reader.time("at"))
    }
}

/// Reads fields of a JSON object with errors that name the field.
struct FieldReader {
    let json: JSONValue
    let what: String

    init(_ json: JSONValue, _ what: String) {
        self.json = json
        self.what = what
    }

    func value(_ key: String) throws -> JSONValue {
        guard let value = json[key] else { throw RoomDecodingError(description: "\(what) has no '\(key)'") }
        return value
    }

    func string(_ key: String) throws -> String {
        guard let text = try value(key).stringValue else { throw RoomDecodingError(description: "\(what).\(key) is not a string") }
        return text
    }

    func optionalString(_ key: String) -> String? { json[key]?.stringValue }

    func int(_ key: String) throws -> Int {
        guard let number = try value(key).intValue else { throw RoomDecodingError(description: "\(what).\(key) is not an integer") }
        return number
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let flag) = try value(key) else { throw RoomDecodingError(description: "\(what).\(key) is not a boolean") }
        return flag
    }

    func time(_ key: String) throws -> Timestamp {
        guard let time = Timestamp(iso8601: try string(key)) else { throw RoomDecodingError(description: "\(what).\(key) is not an ISO 8601 time") }
        return time
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let array = try value(key).arrayValue else { throw RoomDecodingError(description: "\(what).\(key) is not an array") }
        return array
    }
}
