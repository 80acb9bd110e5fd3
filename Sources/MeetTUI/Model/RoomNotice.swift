import Foundation
import MeetingsServer
import SocketIOProtocol

/// One thing that happened in the room, told once and in `seq` order (after the reducer has
/// applied it): what hooks, `--announce` and the meeting log are fed.
public struct RoomNotice: Sendable, Hashable {
    /// The event's config name: `meeting:hand-raised` → `hand_raised`.
    public var event: String
    /// The event's name on the wire, e.g. `meeting:hand-raised`.
    public var wireName: String
    /// The event's payload as it came.
    public var payload: JSONValue
    /// The activity pane's sentence, e.g. "Bob raised a hand (#1)".
    public var text: String
    /// When it happened (the server's `at`).
    public var at: Timestamp
    /// Named values for placeholders: `meeting`, `title`, `seq`, `text`, and where the event has
    /// them `who` (the subject's name), `user` (their id), `by` (the actor's name), `position`,
    /// `reason`, `track`, `volume`, `url`, `message`.
    public var fields: [String: String]

    public init(event: String, wireName: String, payload: JSONValue, text: String, at: Timestamp, fields: [String: String]) {
        self.event = event
        self.wireName = wireName
        self.payload = payload
        self.text = text
        self.at = at
        self.fields = fields
    }

    /// The config name of a wire event name.
    public static func configName(of wireName: String) -> String {
        let bare = wireName.hasPrefix("meeting:") ? String(wireName.dropFirst("meeting:".count)) : wireName
        return bare.replacingOccurrences(of: "-", with: "_")
    }

    /// The notice of an event that `room` (already moved by it) has applied.
    static func of(_ wireName: String, payload: JSONValue, entry: ActivityEntry?, in room: RoomState) -> RoomNotice {
        var fields: [String: String] = ["meeting": room.id, "title": room.title]
        if let seq = payload["seq"]?.intValue { fields["seq"] = String(seq) }
        let subject = payload["userId"]?.stringValue ?? payload["participant"]?["userId"]?.stringValue
            ?? payload["message"]?["userId"]?.stringValue ?? payload["resource"]?["sharedBy"]?.stringValue
        if let subject {
            fields["user"] = subject
            fields["who"] = room.name(of: subject)
        }
        if let by = payload["by"]?.stringValue {
            fields["by"] = room.name(of: by)
            if subject == nil {
                fields["user"] = by
                fields["who"] = room.name(of: by)
            }
        }
        if let subject, let position = room.handPosition(subject), wireName == "meeting:hand-raised" { fields["position"] = String(position) }
        if let reason = payload["reason"]?.stringValue { fields["reason"] = reason }
        if let track = payload["track"]?.stringValue { fields["track"] = track }
        if let volume = payload["volume"]?.intValue { fields["volume"] = String(volume) }
        if let url = payload["resource"]?["url"]?.stringValue { fields["url"] = url }
        if let message = payload["message"]?["text"]?.stringValue { fields["message"] = message }
        let at = payload["at"]?.stringValue.flatMap { Timestamp(iso8601: $0) } ?? Timestamp(milliseconds: 0)
        let text = entry?.text ?? ""
        fields["text"] = text
        return RoomNotice(event: configName(of: wireName), wireName: wireName, payload: payload, text: text, at: at, fields: fields)
    }
}
