import Logging
import MeetingsContract
import PostgresNIO

// The records as typed PostgresNIO queries: each statement is written out in full, its values
// bound, its rows decoded into typed columns (no row read as "whatever type the cell has").

extension MeetingRecords {
    /// The meetings with these ids that exist, in the ids' order: one query per table, however
    /// many meetings.
    static func fetch(_ ids: [String], connection: PostgresConnection, logger: Logger) async throws -> [Meeting] {
        guard !ids.isEmpty else { return [] }
        var rows = FetchedRows()
        let meetingRows = try await connection.query("""
            SELECT id, title, created_by, created_at, seq, version, locked, ended, music_track, music_volume, music_started_by,
                music_started_at, recording_started_by, recording_started_at, screenshare_user_id, screenshare_started_at
            FROM meeting WHERE id = ANY(\(ids))
            """, logger: logger)
        for try await row in meetingRows.decode(
            (String, String, String, Int64, Int64, Int64, Int64, Int64, String?, Int64?, String?, Int64?, String?, Int64?, String?, Int64?).self
        ) {
            rows.meetings[row.0] = MeetingRecord(
                id: row.0, title: row.1, createdBy: row.2, createdAt: row.3, seq: row.4, version: row.5, locked: row.6, ended: row.7,
                musicTrack: row.8, musicVolume: row.9, musicStartedBy: row.10, musicStartedAt: row.11,
                recordingStartedBy: row.12, recordingStartedAt: row.13, screenshareUserId: row.14, screenshareStartedAt: row.15)
        }
        for try await (meetingId, userId) in try await connection.query(
            "SELECT meeting_id, user_id FROM host WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String).self) {
            rows.hosts[meetingId, default: []].append(HostRecord(meetingId: meetingId, userId: userId))
        }
        for try await (meetingId, userId, name, joinedAt, graceDeadline) in try await connection.query(
            "SELECT meeting_id, user_id, name, joined_at, grace_deadline FROM participant WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String, String, Int64, Int64?).self) {
            rows.participants[meetingId, default: []].append(
                ParticipantRecord(meetingId: meetingId, userId: userId, name: name, joinedAt: joinedAt, graceDeadline: graceDeadline))
        }
        for try await (meetingId, userId, raisedAt) in try await connection.query(
            "SELECT meeting_id, user_id, raised_at FROM hand WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String, Int64).self) {
            rows.hands[meetingId, default: []].append(HandRecord(meetingId: meetingId, userId: userId, raisedAt: raisedAt))
        }
        for try await (meetingId, id, title, url, sharedBy, sharedAt) in try await connection.query(
            "SELECT meeting_id, id, title, url, shared_by, shared_at FROM resource WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String, String, String, String, Int64).self) {
            rows.resources[meetingId, default: []].append(
                ResourceRecord(meetingId: meetingId, id: id, title: title, url: url, sharedBy: sharedBy, sharedAt: sharedAt))
        }
        for try await (meetingId, id, userId, name, text, at) in try await connection.query(
            "SELECT meeting_id, id, user_id, name, text, at FROM message WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String, String, String, String, Int64).self) {
            rows.messages[meetingId, default: []].append(MessageRecord(meetingId: meetingId, id: id, userId: userId, name: name, text: text, at: at))
        }
        for try await (meetingId, userId) in try await connection.query(
            "SELECT meeting_id, user_id FROM removed_user WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String).self) {
            rows.removed[meetingId, default: []].append(RemovedUserRecord(meetingId: meetingId, userId: userId))
        }
        for try await (meetingId, socketId, userId, nodeId) in try await connection.query(
            "SELECT meeting_id, socket_id, user_id, node_id FROM subscription WHERE meeting_id = ANY(\(ids)) ORDER BY ord", logger: logger
        ).decode((String, String, String, String).self) {
            rows.subscriptions[meetingId, default: []].append(SubscriptionRecord(meetingId: meetingId, socketId: socketId, userId: userId, nodeId: nodeId))
        }
        return try rows.meetings(ids)
    }

    /// Inserts a new meeting's row.
    static func insert(_ row: MeetingRecord, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO meeting (id, title, created_by, created_at, seq, version, locked, ended, music_track, music_volume,
                music_started_by, music_started_at, recording_started_by, recording_started_at, screenshare_user_id, screenshare_started_at)
            VALUES (\(row.id), \(row.title), \(row.createdBy), \(row.createdAt), \(row.seq), \(row.version), \(row.locked), \(row.ended),
                \(row.musicTrack), \(row.musicVolume), \(row.musicStartedBy), \(row.musicStartedAt), \(row.recordingStartedBy),
                \(row.recordingStartedAt), \(row.screenshareUserId), \(row.screenshareStartedAt))
            """, logger: logger)
    }

    /// Rewrites a meeting's row (its id and creation never change).
    static func update(_ row: MeetingRecord, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE meeting SET title = \(row.title), seq = \(row.seq), version = \(row.version), locked = \(row.locked), ended = \(row.ended),
                music_track = \(row.musicTrack), music_volume = \(row.musicVolume), music_started_by = \(row.musicStartedBy),
                music_started_at = \(row.musicStartedAt), recording_started_by = \(row.recordingStartedBy),
                recording_started_at = \(row.recordingStartedAt), screenshare_user_id = \(row.screenshareUserId),
                screenshare_started_at = \(row.screenshareStartedAt)
            WHERE id = \(row.id)
            """, logger: logger)
    }

    /// Appends an event to the log.
    static func insert(_ event: EventRecord, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO event (meeting_id, seq, name, data) VALUES (\(event.meetingId), \(event.seq), \(event.name), \(event.data))", logger: logger)
    }

    /// Writes a change's child rows: deletions first, then insertions in order.
    static func write(_ change: Change, meetingId id: String, connection: PostgresConnection, logger: Logger) async throws {
        func run(_ query: PostgresQuery) async throws { try await connection.query(query, logger: logger) }
        if !change.hosts.deleted.isEmpty { try await run("DELETE FROM host WHERE meeting_id = \(id) AND user_id = ANY(\(change.hosts.deleted))") }
        for host in change.hosts.inserted { try await run("INSERT INTO host (meeting_id, user_id) VALUES (\(id), \(host.userId))") }
        if !change.participants.deleted.isEmpty {
            try await run("DELETE FROM participant WHERE meeting_id = \(id) AND user_id = ANY(\(change.participants.deleted))")
        }
        for participant in change.participants.inserted {
            try await run("""
                INSERT INTO participant (meeting_id, user_id, name, joined_at, grace_deadline)
                VALUES (\(id), \(participant.userId), \(participant.name), \(participant.joinedAt), \(participant.graceDeadline))
                """)
        }
        for participant in change.graceDeadlines {
            try await run("UPDATE participant SET grace_deadline = \(participant.graceDeadline) WHERE meeting_id = \(id) AND user_id = \(participant.userId)")
        }
        if !change.hands.deleted.isEmpty { try await run("DELETE FROM hand WHERE meeting_id = \(id) AND user_id = ANY(\(change.hands.deleted))") }
        for hand in change.hands.inserted {
            try await run("INSERT INTO hand (meeting_id, user_id, raised_at) VALUES (\(id), \(hand.userId), \(hand.raisedAt))")
        }
        if !change.resources.deleted.isEmpty { try await run("DELETE FROM resource WHERE meeting_id = \(id) AND id = ANY(\(change.resources.deleted))") }
        for resource in change.resources.inserted {
            try await run("""
                INSERT INTO resource (meeting_id, id, title, url, shared_by, shared_at)
                VALUES (\(id), \(resource.id), \(resource.title), \(resource.url), \(resource.sharedBy), \(resource.sharedAt))
                """)
        }
        if !change.messages.deleted.isEmpty { try await run("DELETE FROM message WHERE meeting_id = \(id) AND id = ANY(\(change.messages.deleted))") }
        for message in change.messages.inserted {
            try await run("""
                INSERT INTO message (meeting_id, id, user_id, name, text, at)
                VALUES (\(id), \(message.id), \(message.userId), \(message.name), \(message.text), \(message.at))
                """)
        }
        if !change.removed.deleted.isEmpty {
            try await run("DELETE FROM removed_user WHERE meeting_id = \(id) AND user_id = ANY(\(change.removed.deleted))")
        }
        for user in change.removed.inserted { try await run("INSERT INTO removed_user (meeting_id, user_id) VALUES (\(id), \(user.userId))") }
        if !change.subscriptions.deleted.isEmpty {
            try await run("DELETE FROM subscription WHERE meeting_id = \(id) AND socket_id = ANY(\(change.subscriptions.deleted))")
        }
        for subscription in change.subscriptions.inserted {
            try await run("""
                INSERT INTO subscription (meeting_id, socket_id, user_id, node_id)
                VALUES (\(id), \(subscription.socketId), \(subscription.userId), \(subscription.nodeId))
                """)
        }
    }
}

extension MeetingRecord {
    /// A row as read back.
    init(
        id: String, title: String, createdBy: String, createdAt: Int64, seq: Int64, version: Int64, locked: Int64, ended: Int64,
        musicTrack: String?, musicVolume: Int64?, musicStartedBy: String?, musicStartedAt: Int64?,
        recordingStartedBy: String?, recordingStartedAt: Int64?, screenshareUserId: String?, screenshareStartedAt: Int64?
    ) {
        self.id = id
        self.title = title
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.seq = seq
        self.version = version
        self.locked = locked
        self.ended = ended
        self.musicTrack = musicTrack
        self.musicVolume = musicVolume
        self.musicStartedBy = musicStartedBy
        self.musicStartedAt = musicStartedAt
        self.recordingStartedBy = recordingStartedBy
        self.recordingStartedAt = recordingStartedAt
        self.screenshareUserId = screenshareUserId
        self.screenshareStartedAt = screenshareStartedAt
    }
}
