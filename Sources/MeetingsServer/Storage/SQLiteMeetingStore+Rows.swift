import GRDB

/// Reading a meeting from its rows and writing the rows that differ.
extension SQLiteMeetingStore {
    static func emptyCopy(of meeting: Meeting) -> Meeting {
        var empty = meeting
        empty.hosts = []
        empty.participants = []
        empty.hands = []
        empty.resources = []
        empty.messages = []
        empty.removed = []
        empty.subscriptions = []
        return empty
    }

    static func meetingColumns(_ meeting: Meeting) -> StatementArguments {
        [
            meeting.title, meeting.seq, meeting.locked, meeting.ended,
            meeting.music?.track, meeting.music?.volume, meeting.music?.startedBy, meeting.music?.startedAt.milliseconds,
            meeting.recording?.startedBy, meeting.recording?.startedAt.milliseconds,
            meeting.screenshare?.userId, meeting.screenshare?.startedAt.milliseconds,
        ]
    }

    static func insertMeetingRow(_ meeting: Meeting, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO meeting (id, created_by, created_at, version, title, seq, locked, ended,
                    music_track, music_volume, music_started_by, music_started_at,
                    recording_started_by, recording_started_at, screenshare_user_id, screenshare_started_at)
                VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [meeting.id, meeting.createdBy, meeting.createdAt.milliseconds] + meetingColumns(meeting)
        )
    }

    static func load(_ id: String, db: Database) throws -> Meeting? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM meeting WHERE id = ?", arguments: [id]) else { return nil }
        func time(_ value: Int64?) -> Timestamp? { value.map(Timestamp.init(milliseconds:)) }
        func rows(_ table: String) throws -> [Row] {
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE meeting_id = ? ORDER BY ord", arguments: [id])
        }
        var music: Music?
        if let track: String = row["music_track"] {
            music = Music(track: track, volume: row["music_volume"], startedBy: row["music_started_by"], startedAt: Timestamp(milliseconds: row["music_started_at"]))
        }
        var recording: Recording?
        if let by: String = row["recording_started_by"] {
            recording = Recording(startedBy: by, startedAt: Timestamp(milliseconds: row["recording_started_at"]))
        }
        var screenshare: Screenshare?
        if let userId: String = row["screenshare_user_id"] {
            screenshare = Screenshare(userId: userId, startedAt: Timestamp(milliseconds: row["screenshare_started_at"]))
        }
        return Meeting(
            id: id, title: row["title"], createdBy: row["created_by"], createdAt: Timestamp(milliseconds: row["created_at"]),
            seq: row["seq"], locked: row["locked"], ended: row["ended"],
            hosts: try rows("host").map { $0["user_id"] },
            participants: try rows("participant").map {
                Participant(userId: $0["user_id"], name: $0["name"], joinedAt: Timestamp(milliseconds: $0["joined_at"]), graceDeadline: time($0["grace_deadline"]))
            },
            hands: try rows("hand").map { Hand(userId: $0["user_id"], raisedAt: Timestamp(milliseconds: $0["raised_at"])) },
            music: music, recording: recording, screenshare: screenshare,
            resources: try rows("resource").map {
                Resource(id: $0["id"], title: $0["title"], url: $0["url"], sharedBy: $0["shared_by"], sharedAt: Timestamp(milliseconds: $0["shared_at"]))
            },
            messages: try rows("message").map {
                ChatMessage(id: $0["id"], userId: $0["user_id"], name: $0["name"], text: $0["text"], at: Timestamp(milliseconds: $0["at"]))
            },
            removed: try rows("removed_user").map { $0["user_id"] },
            subscriptions: try rows("subscription").map { Subscription(socketId: $0["socket_id"], userId: $0["user_id"]) }
        )
    }

    /// Writes the child rows that differ between two states of one meeting. New items are
    /// appended (their `ord` grows), so the order of each list is the order of insertion.
    static func writeDifferences(from old: Meeting, to new: Meeting, db: Database) throws {
        let id = new.id
        try sync(db, "host", key: "user_id", id: id, old: old.hosts, new: new.hosts, keyOf: { $0 }) { ["user_id": $0] }
        try sync(db, "participant", key: "user_id", id: id, old: old.participants, new: new.participants, keyOf: \.userId) {
            ["user_id": $0.userId, "name": $0.name, "joined_at": $0.joinedAt.milliseconds, "grace_deadline": $0.graceDeadline?.milliseconds]
        }
        let oldDeadlines = Dictionary(old.participants.map { ($0.userId, $0.graceDeadline) }, uniquingKeysWith: { a, _ in a })
        for participant in new.participants {
            if let previous = oldDeadlines[participant.userId], previous != participant.graceDeadline {
                try db.cachedStatement(sql: "UPDATE participant SET grace_deadline = ? WHERE meeting_id = ? AND user_id = ?")
                    .execute(arguments: [participant.graceDeadline?.milliseconds, id, participant.userId])
            }
        }
        try sync(db, "hand", key: "user_id", id: id, old: old.hands, new: new.hands, keyOf: \.userId) {
            ["user_id": $0.userId, "raised_at": $0.raisedAt.milliseconds]
        }
        try sync(db, "resource", key: "id", id: id, old: old.resources, new: new.resources, keyOf: \.id) {
            ["id": $0.id, "title": $0.title, "url": $0.url, "shared_by": $0.sharedBy, "shared_at": $0.sharedAt.milliseconds]
        }
        try sync(db, "message", key: "id", id: id, old: old.messages, new: new.messages, keyOf: \.id) {
            ["id": $0.id, "user_id": $0.userId, "name": $0.name, "text": $0.text, "at": $0.at.milliseconds]
        }
        try sync(db, "removed_user", key: "user_id", id: id, old: old.removed, new: new.removed, keyOf: { $0 }) { ["user_id": $0] }
        try sync(db, "subscription", key: "socket_id", id: id, old: old.subscriptions, new: new.subscriptions, keyOf: \.socketId) {
            ["socket_id": $0.socketId, "user_id": $0.userId]
        }
    }

    /// Deletes the rows whose key is gone and inserts the items whose key is new, in order.
    private static func sync<Item: Equatable>(
        _ db: Database, _ table: String, key: String, id: String, old: [Item], new: [Item],
        keyOf: (Item) -> String, columns: (Item) -> [String: (any DatabaseValueConvertible)?]
    ) throws {
        if old == new { return }
        let oldKeys = Set(old.map(keyOf))
        let newKeys = Set(new.map(keyOf))
        for gone in oldKeys.subtracting(newKeys) {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE meeting_id = ? AND \(key) = ?").execute(arguments: [id, gone])
        }
        for item in new where !oldKeys.contains(keyOf(item)) {
            let values = columns(item).sorted { $0.key < $1.key }
            let names = (["meeting_id"] + values.map(\.key)).joined(separator: ", ")
            let marks = Array(repeating: "?", count: values.count + 1).joined(separator: ", ")
            var arguments: StatementArguments = [id]
            arguments += StatementArguments(values.map(\.value))
            try db.cachedStatement(sql: "INSERT INTO \(table) (\(names)) VALUES (\(marks))").execute(arguments: arguments)
        }
    }
}
