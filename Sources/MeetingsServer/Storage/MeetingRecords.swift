import MeetingsContract
import SocketIOProtocol

/// A ``Meeting`` as rows, the same for SQLite and PostgreSQL: one record type per table, its
/// columns its properties (snake case on disk). Flags are integers 0/1 and times are
/// milliseconds, so both databases store exactly the same values. Pure: the stores read and
/// write the records (GRDB's record protocols for SQLite, typed PostgresNIO queries for
/// PostgreSQL).
struct MeetingRecords: Sendable, Hashable {
    var meeting: MeetingRecord
    var hosts: [HostRecord]
    var participants: [ParticipantRecord]
    var hands: [HandRecord]
    var resources: [ResourceRecord]
    var messages: [MessageRecord]
    var removed: [RemovedUserRecord]
    var subscriptions: [SubscriptionRecord]

    /// The rows of a meeting (its `version` is the store's).
    init(_ meeting: Meeting, version: Int64 = 0) {
        let id = meeting.id
        self.meeting = MeetingRecord(meeting, version: version)
        hosts = meeting.hosts.map { HostRecord(meetingId: id, userId: $0) }
        participants = meeting.participants.map {
            ParticipantRecord(meetingId: id, userId: $0.userId, name: $0.name, joinedAt: $0.joinedAt.milliseconds, graceDeadline: $0.graceDeadline?.milliseconds)
        }
        hands = meeting.hands.map { HandRecord(meetingId: id, userId: $0.userId, raisedAt: $0.raisedAt.milliseconds) }
        resources = meeting.resources.map {
            ResourceRecord(meetingId: id, id: $0.id, title: $0.title, url: $0.url, sharedBy: $0.sharedBy, sharedAt: $0.sharedAt.milliseconds)
        }
        messages = meeting.messages.map {
            MessageRecord(meetingId: id, id: $0.id, userId: $0.userId, name: $0.name, text: $0.text, at: $0.at.milliseconds)
        }
        removed = meeting.removed.map { RemovedUserRecord(meetingId: id, userId: $0) }
        subscriptions = meeting.subscriptions.map { SubscriptionRecord(meetingId: id, socketId: $0.socketId, userId: $0.userId, nodeId: $0.node) }
    }

    init(
        meeting: MeetingRecord, hosts: [HostRecord], participants: [ParticipantRecord], hands: [HandRecord], resources: [ResourceRecord],
        messages: [MessageRecord], removed: [RemovedUserRecord], subscriptions: [SubscriptionRecord]
    ) {
        self.meeting = meeting
        self.hosts = hosts
        self.participants = participants
        self.hands = hands
        self.resources = resources
        self.messages = messages
        self.removed = removed
        self.subscriptions = subscriptions
    }

    /// The meeting these rows hold; each child list in the order its rows were inserted.
    /// - Throws: ``StoredRowError`` for rows the store would not have written.
    func decoded() throws -> Meeting {
        let row = meeting
        func time(_ milliseconds: Int64?, _ column: String) throws -> Timestamp {
            guard let milliseconds else { throw StoredRowError(description: "meeting \(row.id): \(column) is NULL") }
            return Timestamp(milliseconds: milliseconds)
        }
        var music: Music?
        if let track = row.musicTrack {
            guard let volume = row.musicVolume, let by = row.musicStartedBy else {
                throw StoredRowError(description: "meeting \(row.id): music without its volume or who started it")
            }
            music = Music(track: track, volume: Int(volume), startedBy: by, startedAt: try time(row.musicStartedAt, "music_started_at"))
        }
        let recording = try row.recordingStartedBy.map { Recording(startedBy: $0, startedAt: try time(row.recordingStartedAt, "recording_started_at")) }
        let screenshare = try row.screenshareUserId.map { Screenshare(userId: $0, startedAt: try time(row.screenshareStartedAt, "screenshare_started_at")) }
        return Meeting(
            id: row.id, title: row.title, createdBy: row.createdBy, createdAt: Timestamp(milliseconds: row.createdAt), seq: row.seq,
            locked: row.locked != 0, ended: row.ended != 0,
            hosts: hosts.map(\.userId),
            participants: participants.map {
                Participant(userId: $0.userId, name: $0.name, joinedAt: Timestamp(milliseconds: $0.joinedAt),
                            graceDeadline: $0.graceDeadline.map(Timestamp.init(milliseconds:)))
            },
            hands: hands.map { Hand(userId: $0.userId, raisedAt: Timestamp(milliseconds: $0.raisedAt)) },
            music: music, recording: recording, screenshare: screenshare,
            resources: resources.map {
                Resource(id: $0.id, title: $0.title, url: $0.url, sharedBy: $0.sharedBy, sharedAt: Timestamp(milliseconds: $0.sharedAt))
            },
            messages: messages.map { ChatMessage(id: $0.id, userId: $0.userId, name: $0.name, text: $0.text, at: Timestamp(milliseconds: $0.at)) },
            // The domain keeps them sorted; the rows are in the order of removal.
            removed: removed.map(\.userId).sorted(),
            subscriptions: subscriptions.map { Subscription(socketId: $0.socketId, userId: $0.userId, node: $0.nodeId) }
        )
    }

    /// What a change writes besides the meeting's row and the events: per table, the rows whose
    /// key is gone and the rows whose key is new (appended, so the insertion order is each
    /// list's order), and the participants whose grace deadline changed.
    struct Change: Sendable, Hashable {
        var hosts = Diff<HostRecord>()
        var participants = Diff<ParticipantRecord>()
        var graceDeadlines: [ParticipantRecord] = []
        var hands = Diff<HandRecord>()
        var resources = Diff<ResourceRecord>()
        var messages = Diff<MessageRecord>()
        var removed = Diff<RemovedUserRecord>()
        var subscriptions = Diff<SubscriptionRecord>()
    }

    /// The child rows that differ from `old` to `self`.
    func change(from old: MeetingRecords) -> Change {
        var change = Change()
        change.hosts = Diff(old: old.hosts, new: hosts)
        change.participants = Diff(old: old.participants, new: participants)
        let oldDeadlines = Dictionary(old.participants.map { ($0.userId, $0.graceDeadline) }, uniquingKeysWith: { first, _ in first })
        change.graceDeadlines = participants.filter { participant in
            guard let previous = oldDeadlines[participant.userId] else { return false }
            return previous != participant.graceDeadline
        }
        change.hands = Diff(old: old.hands, new: hands)
        change.resources = Diff(old: old.resources, new: resources)
        change.messages = Diff(old: old.messages, new: messages)
        change.removed = Diff(old: old.removed, new: removed)
        change.subscriptions = Diff(old: old.subscriptions, new: subscriptions)
        return change
    }

    /// Every child row, as a change from none (a new meeting).
    var creation: Change {
        change(from: MeetingRecords(
            meeting: meeting, hosts: [], participants: [], hands: [], resources: [], messages: [], removed: [], subscriptions: []))
    }
}

/// The rows of several meetings, read one table at a time, grouped by meeting.
struct FetchedRows: Sendable {
    var meetings: [String: MeetingRecord] = [:]
    var hosts: [String: [HostRecord]] = [:]
    var participants: [String: [ParticipantRecord]] = [:]
    var hands: [String: [HandRecord]] = [:]
    var resources: [String: [ResourceRecord]] = [:]
    var messages: [String: [MessageRecord]] = [:]
    var removed: [String: [RemovedUserRecord]] = [:]
    var subscriptions: [String: [SubscriptionRecord]] = [:]

    /// The meetings with these ids that were read, in the ids' order.
    func meetings(_ ids: [String]) throws -> [Meeting] {
        try ids.compactMap { id in
            guard let meeting = meetings[id] else { return nil }
            return try MeetingRecords(
                meeting: meeting, hosts: hosts[id] ?? [], participants: participants[id] ?? [], hands: hands[id] ?? [],
                resources: resources[id] ?? [], messages: messages[id] ?? [], removed: removed[id] ?? [],
                subscriptions: subscriptions[id] ?? []
            ).decoded()
        }
    }
}

/// A child row with a key unique within its meeting.
protocol KeyedRecord: Sendable, Hashable {
    var key: String { get }
}

/// The rows of one table that a change deletes (by key) and inserts.
struct Diff<Record: KeyedRecord>: Sendable, Hashable {
    var deleted: [String] = []
    var inserted: [Record] = []

    init() {}

    init(old: [Record], new: [Record]) {
        guard old != new else { return }
        let oldKeys = Set(old.map(\.key))
        let newKeys = Set(new.map(\.key))
        deleted = oldKeys.subtracting(newKeys).sorted()
        inserted = new.filter { !oldKeys.contains($0.key) }
    }
}

/// A row of `meeting`.
struct MeetingRecord: Sendable, Hashable, Codable {
    var id: String
    var title: String
    var createdBy: String
    var createdAt: Int64
    var seq: Int64
    var version: Int64
    var locked: Int64
    var ended: Int64
    var musicTrack: String?
    var musicVolume: Int64?
    var musicStartedBy: String?
    var musicStartedAt: Int64?
    var recordingStartedBy: String?
    var recordingStartedAt: Int64?
    var screenshareUserId: String?
    var screenshareStartedAt: Int64?

    init(_ meeting: Meeting, version: Int64) {
        id = meeting.id
        title = meeting.title
        createdBy = meeting.createdBy
        createdAt = meeting.createdAt.milliseconds
        seq = meeting.seq
        self.version = version
        locked = meeting.locked ? 1 : 0
        ended = meeting.ended ? 1 : 0
        musicTrack = meeting.music?.track
        musicVolume = meeting.music.map { Int64($0.volume) }
        musicStartedBy = meeting.music?.startedBy
        musicStartedAt = meeting.music?.startedAt.milliseconds
        recordingStartedBy = meeting.recording?.startedBy
        recordingStartedAt = meeting.recording?.startedAt.milliseconds
        screenshareUserId = meeting.screenshare?.userId
        screenshareStartedAt = meeting.screenshare?.startedAt.milliseconds
    }

    enum CodingKeys: String, CodingKey {
        case id, title, createdBy = "created_by", createdAt = "created_at", seq, version, locked, ended
        case musicTrack = "music_track", musicVolume = "music_volume", musicStartedBy = "music_started_by", musicStartedAt = "music_started_at"
        case recordingStartedBy = "recording_started_by", recordingStartedAt = "recording_started_at"
        case screenshareUserId = "screenshare_user_id", screenshareStartedAt = "screenshare_started_at"
    }
}

/// A row of `host`.
struct HostRecord: KeyedRecord, Codable {
    var meetingId: String
    var userId: String
    var key: String { userId }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", userId = "user_id" }
}

/// A row of `participant`.
struct ParticipantRecord: KeyedRecord, Codable {
    var meetingId: String
    var userId: String
    var name: String
    var joinedAt: Int64
    var graceDeadline: Int64?
    var key: String { userId }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", userId = "user_id", name, joinedAt = "joined_at", graceDeadline = "grace_deadline" }
}

/// A row of `hand`.
struct HandRecord: KeyedRecord, Codable {
    var meetingId: String
    var userId: String
    var raisedAt: Int64
    var key: String { userId }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", userId = "user_id", raisedAt = "raised_at" }
}

/// A row of `resource`.
struct ResourceRecord: KeyedRecord, Codable {
    var meetingId: String
    var id: String
    var title: String
    var url: String
    var sharedBy: String
    var sharedAt: Int64
    var key: String { id }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", id, title, url, sharedBy = "shared_by", sharedAt = "shared_at" }
}

/// A row of `message`.
struct MessageRecord: KeyedRecord, Codable {
    var meetingId: String
    var id: String
    var userId: String
    var name: String
    var text: String
    var at: Int64
    var key: String { id }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", id, userId = "user_id", name, text, at }
}

/// A row of `removed_user`.
struct RemovedUserRecord: KeyedRecord, Codable {
    var meetingId: String
    var userId: String
    var key: String { userId }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", userId = "user_id" }
}

/// A row of `subscription`.
struct SubscriptionRecord: KeyedRecord, Codable {
    var meetingId: String
    var socketId: String
    var userId: String
    var nodeId: String
    var key: String { socketId }
    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", socketId = "socket_id", userId = "user_id", nodeId = "node_id" }
}

/// A row of `event`: `data` is exactly the JSON text that was emitted live.
struct EventRecord: Sendable, Hashable, Codable {
    var meetingId: String
    var seq: Int64
    var name: String
    var data: String

    init(_ event: MeetingEvent) {
        meetingId = event.meetingId
        seq = event.seq
        name = event.name.rawValue
        data = JSONValue(contract: event).jsonString
    }

    enum CodingKeys: String, CodingKey { case meetingId = "meeting_id", seq, name, data }
}

/// A row that does not have the shape the store wrote.
struct StoredRowError: Error, CustomStringConvertible {
    var description: String
}
