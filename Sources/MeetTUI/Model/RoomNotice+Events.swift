import MeetingsContract

extension RoomNotice {
    /// The config names of every room event the meetings API pushes (meetings-api §5), e.g.
    /// `hand_raised` for `meeting:hand-raised`: what `[hooks]` may name.
    public static let events: [String] = EventName.allCases.map(\.configName)

    /// The placeholders a hook's argv may use: `{who}`, `{position}`, … (``fields``' names and
    /// `event`). A field the event does not have is empty.
    public static let placeholders: [String] = [
        "event", "meeting", "title", "seq", "text", "who", "user", "by", "position", "reason", "track", "volume", "url", "message",
    ]
}
