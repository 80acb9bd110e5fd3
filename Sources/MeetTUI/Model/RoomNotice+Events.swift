extension RoomNotice {
    /// The config names of every room event the meetings API pushes (meetings-api §5), e.g.
    /// `hand_raised` for `meeting:hand-raised`: what `[hooks]` may name.
    public static let events: [String] = [
        "participant_joined", "participant_left", "presence_updated",
        "hand_raised", "hand_lowered",
        "music_started", "music_stopped", "music_volume_updated",
        "recording_started", "recording_stopped",
        "screenshare_started", "screenshare_stopped",
        "resource_shared", "message",
        "locked", "unlocked", "host_promoted", "host_demoted", "ended",
    ]

    /// The placeholders a hook's argv may use: `{who}`, `{position}`, … (``fields``' names and
    /// `event`). A field the event does not have is empty.
    public static let placeholders: [String] = [
        "event", "meeting", "title", "seq", "text", "who", "user", "by", "position", "reason", "track", "volume", "url", "message",
    ]
}
