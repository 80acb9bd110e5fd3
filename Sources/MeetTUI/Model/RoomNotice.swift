import MeetingsContract
import SocketIOProtocol

/// One thing that happened in the room, told once and in `seq` order (after the reducer has
/// applied it): what hooks, `--announce` and the meeting log are fed.
public struct RoomNotice: Sendable, Hashable {
    /// The event as it came.
    public var event: MeetingEvent
    /// The activity pane's sentence, e.g. "Bob raised a hand (#1)".
    public var text: String
    /// Named values for placeholders: `meeting`, `title`, `seq`, `text`, and where the event has
    /// them `who` (the subject's name), `user` (their id), `by` (the actor's name), `position`,
    /// `reason`, `track`, `volume`, `url`, `message`.
    public var fields: [String: String]

    public init(event: MeetingEvent, text: String, fields: [String: String]) {
        self.event = event
        self.text = text
        self.fields = fields
    }

    /// The event's config name: `meeting:hand-raised` → `hand_raised`.
    public var name: String { event.name.configName }
    /// When it happened (the server's `at`).
    public var at: Timestamp { event.at }
    /// The payload as the wire carries it (for `MEET_JSON`).
    public var payload: JSONValue { (try? JSONValue(encoding: event)) ?? .null }

    /// The notice of an event that `room` (already moved by it) has applied.
    static func of(_ event: MeetingEvent, entry: ActivityEntry?, in room: RoomState) -> RoomNotice {
        var fields: [String: String] = ["meeting": room.id, "title": room.title, "seq": String(event.seq)]
        let subject = event.subject
        if let subject {
            fields["user"] = subject
            fields["who"] = room.name(of: subject)
        }
        if let by = event.actor {
            fields["by"] = room.name(of: by)
            if subject == nil {
                fields["user"] = by
                fields["who"] = room.name(of: by)
            }
        }
        switch event.kind {
        case .handRaised(let userId, _, _): if let position = room.handPosition(userId) { fields["position"] = String(position) }
        case .participantLeft(_, let reason, _): fields["reason"] = reason.rawValue
        case .musicStarted(let track, let volume, _):
            fields["track"] = track
            fields["volume"] = String(volume)
        case .musicVolumeUpdated(let volume, _): fields["volume"] = String(volume)
        case .resourceShared(let resource): fields["url"] = resource.url
        case .message(let message): fields["message"] = message.text
        default: break
        }
        let text = entry?.text ?? ""
        fields["text"] = text
        return RoomNotice(event: event, text: text, fields: fields)
    }
}
