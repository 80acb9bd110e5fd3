/// The snapshot's wire form, keys in the contract's order. Music, recording and screenshare are
/// objects that are always there: `{"playing": false}` or `{"playing": true, "track": …}`, and
/// `active` for the other two; a hand also carries its `position`.
extension MeetingState: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, title, createdBy, createdAt, seq, locked, participants, hands, music, recording, screenshare, resources, messages, ended
    }

    private struct HandWire: Codable {
        var userId: String
        var raisedAt: Timestamp
        var position: Int?
    }

    private struct MusicWire: Codable {
        var playing: Bool
        var track: String?
        var volume: Int?
        var startedBy: String?
        var startedAt: Timestamp?
    }

    private struct RecordingWire: Codable {
        var active: Bool
        var startedBy: String?
        var startedAt: Timestamp?
    }

    private struct ScreenshareWire: Codable {
        var active: Bool
        var userId: String?
        var startedAt: Timestamp?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(seq, forKey: .seq)
        try container.encode(locked, forKey: .locked)
        try container.encode(participants, forKey: .participants)
        try container.encode(hands.enumerated().map { HandWire(userId: $1.userId, raisedAt: $1.raisedAt, position: $0 + 1) }, forKey: .hands)
        try container.encode(
            music.map { MusicWire(playing: true, track: $0.track, volume: $0.volume, startedBy: $0.startedBy, startedAt: $0.startedAt) }
                ?? MusicWire(playing: false),
            forKey: .music
        )
        try container.encode(
            recording.map { RecordingWire(active: true, startedBy: $0.startedBy, startedAt: $0.startedAt) } ?? RecordingWire(active: false),
            forKey: .recording
        )
        try container.encode(
            screenshare.map { ScreenshareWire(active: true, userId: $0.userId, startedAt: $0.startedAt) } ?? ScreenshareWire(active: false),
            forKey: .screenshare
        )
        try container.encode(resources, forKey: .resources)
        try container.encode(messages, forKey: .messages)
        try container.encode(ended, forKey: .ended)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        createdBy = try container.decode(String.self, forKey: .createdBy)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        seq = try container.decode(Int64.self, forKey: .seq)
        locked = try container.decode(Bool.self, forKey: .locked)
        participants = try container.decode([ParticipantView].self, forKey: .participants)
        hands = try container.decode([HandWire].self, forKey: .hands).map { Hand(userId: $0.userId, raisedAt: $0.raisedAt) }
        let music = try container.decode(MusicWire.self, forKey: .music)
        if music.playing {
            guard let track = music.track, let volume = music.volume, let startedBy = music.startedBy, let startedAt = music.startedAt else {
                throw DecodingError.dataCorruptedError(forKey: .music, in: container, debugDescription: "music that plays needs track, volume, startedBy and startedAt")
            }
            self.music = Music(track: track, volume: volume, startedBy: startedBy, startedAt: startedAt)
        } else {
            self.music = nil
        }
        let recording = try container.decode(RecordingWire.self, forKey: .recording)
        if recording.active {
            guard let startedBy = recording.startedBy, let startedAt = recording.startedAt else {
                throw DecodingError.dataCorruptedError(forKey: .recording, in: container, debugDescription: "an active recording needs startedBy and startedAt")
            }
            self.recording = Recording(startedBy: startedBy, startedAt: startedAt)
        } else {
            self.recording = nil
        }
        let screenshare = try container.decode(ScreenshareWire.self, forKey: .screenshare)
        if screenshare.active {
            guard let userId = screenshare.userId, let startedAt = screenshare.startedAt else {
                throw DecodingError.dataCorruptedError(forKey: .screenshare, in: container, debugDescription: "an active screenshare needs userId and startedAt")
            }
            self.screenshare = Screenshare(userId: userId, startedAt: startedAt)
        } else {
            self.screenshare = nil
        }
        resources = try container.decode([Resource].self, forKey: .resources)
        messages = try container.decode([ChatMessage].self, forKey: .messages)
        ended = try container.decodeIfPresent(Bool.self, forKey: .ended) ?? false
    }
}
