import MeetingsContract

/// One line of the activity log: "10:02 Bob raised a hand".
public struct ActivityEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Something that happened in the room.
        case event
        /// A chat message.
        case chat
        /// Something the user should notice (removed, meeting ended, an error).
        case alert
    }

    public var at: Timestamp
    public var text: String
    public var kind: Kind

    public init(at: Timestamp, text: String, kind: Kind = .event) {
        self.at = at
        self.text = text
        self.kind = kind
    }
}
