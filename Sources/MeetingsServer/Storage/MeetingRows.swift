import SocketIOProtocol

/// How a ``Meeting`` is stored as rows, for every SQL database: the statements that write what
/// differs between two states, and the reading back. The stores run them; this is pure.
enum MeetingRows {
    /// The child tables, in the order they are read.
    static let childTables = ["host", "participant", "hand", "resource", "message", "removed_user", "subscription"]

    static func meetingColumns(_ meeting: Meeting) -> [SQLValue] {
        [
            .text(meeting.title), .integer(meeting.seq), SQLValue(meeting.locked), SQLValue(meeting.ended),
            SQLValue(meeting.music?.track), SQLValue(meeting.music?.volume), SQLValue(meeting.music?.startedBy), SQLValue(meeting.music?.startedAt.milliseconds),
            SQLValue(meeting.recording?.startedBy), SQLValue(meeting.recording?.startedAt.milliseconds),
            SQLValue(meeting.screenshare?.userId), SQLValue(meeting.screenshare?.startedAt.milliseconds),
        ]
    }

    static func insertMeeting(_ meeting: Meeting) -> SQLStatement {
        SQLStatement(
            sql: """
                INSERT INTO meeting (id, created_by, created_at, version, title, seq, locked, ended,
                    music_track, music_volume, music_started_by, music_started_at,
                    recording_started_by, recording_started_at, screenshare_user_id, screenshare_started_at)
                VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [.text(meeting.id), .text(meeting.createdBy), .integer(meeting.createdAt.milliseconds)] + meetingColumns(meeting)
        )
    }

    static func updateMeeting(_ meeting: Meeting) -> SQLStatement {
        SQLStatement(
            sql: """
                UPDATE meeting SET title = ?, seq = ?, version = version + 1, locked = ?, ended = ?,
                    music_track = ?, music_volume = ?, music_started_by = ?, music_started_at = ?,
                    recording_started_by = ?, recording_started_at = ?,
                    screenshare_user_id = ?, screenshare_started_at = ?
                WHERE id = ?
                """,
            arguments: meetingColumns(meeting) + [.text(meeting.id)]
        )
    }

    static func insertEvent(_ event: MeetingEvent) -> SQLStatement {
        SQLStatement(
            sql: "INSERT INTO event (meeting_id, seq, name, data) VALUES (?, ?, ?, ?)",
            arguments: [.text(event.meetingId), .integer(event.seq), .text(event.name), .text(event.payload.jsonString)]
        )
    }

    /// Every statement a new meeting needs (its row and its children).
    static func creation(of meeting: Meeting) -> [SQLStatement] {
        [insertMeeting(meeting)] + differences(from: emptyCopy(of: meeting), to: meeting)
    }

    /// Everything a committed change writes: the child rows that differ, the meeting's row, the events.
    static func change(from old: Meeting, to new: Meeting, events: [MeetingEvent]) -> [SQLStatement] {
        differences(from: old, to: new) + [updateMeeting(new)] + events.map(insertEvent)
    }

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

    /// The child rows that differ between two states of one meeting. New items are appended
    /// (their `ord` grows), so the order of each list is the order of insertion.
    static func differences(from old: Meeting, to new: Meeting) -> [SQLStatement] {
        let id = new.id
        var statements: [SQLStatement] = []
        statements += sync("host", key: "user_id", id: id, old: old.hosts, new: new.hosts, keyOf: { $0 }) { [("user_id", .text($0))] }
        statements += sync("participant", key: "user_id", id: id, old: old.participants, new: new.participants, keyOf: \.userId) {
            [("user_id", .text($0.userId)), ("name", .text($0.name)), ("joined_at", .integer($0.joinedAt.milliseconds)),
             ("grace_deadline", SQLValue($0.graceDeadline?.milliseconds))]
        }
        let oldDeadlines = Dictionary(old.participants.map { ($0.userId, $0.graceDeadline) }, uniquingKeysWith: { first, _ in first })
        for participant in new.participants {
            if let previous = oldDeadlines[participant.userId], previous != participant.graceDeadline {
                statements.append(SQLStatement(
                    sql: "UPDATE participant SET grace_deadline = ? WHERE meeting_id = ? AND user_id = ?",
                    arguments: [SQLValue(participant.graceDeadline?.milliseconds), .text(id), .text(participant.userId)]
                ))
            }
        }
        statements += sync("hand", key: "user_id", id: id, old: old.hands, new: new.hands, keyOf: \.userId) {
            [("user_id", .text($0.userId)), ("raised_at", .integer($0.raisedAt.milliseconds))]
        }
        statements += sync("resource", key: "id", id: id, old: old.resources, new: new.resources, keyOf: \.id) {
            [("id", .text($0.id)), ("title", .text($0.title)), ("url", .text($0.url)), ("shared_by", .text($0.sharedBy)),
             ("shared_at", .integer($0.sharedAt.milliseconds))]
        }
        statements += sync("message", key: "id", id: id, old: old.messages, new: new.messages, keyOf: \.id) {
            [("id", .text($0.id)), ("user_id", .text($0.userId)), ("name", .text($0.name)), ("text", .text($0.text)),
             ("at", .integer($0.at.milliseconds))]
        }
        statements += sync("removed_user", key: "user_id", id: id, old: old.removed, new: new.removed, keyOf: { $0 }) { [("user_id", .text($0))] }
        statements += sync("subscription", key: "socket_id", id: id, old: old.subscriptions, new: new.subscriptions, keyOf: \.socketId) {
            [("socket_id", .text($0.socketId)), ("user_id", .text($0.userId)), ("node_id", .text($0.node))]
        }
        return statements
    }

    /// Deletes the rows whose key is gone and inserts the items whose key is new, in order.
    private static func sync<Item: Equatable>(
        _ table: String, key: String, id: String, old: [Item], new: [Item],
        keyOf: (Item) -> String, columns: (Item) -> [(String, SQLValue)]
    ) -> [SQLStatement] {
        if old == new { return [] }
        let oldKeys = Set(old.map(keyOf))
        let newKeys = Set(new.map(keyOf))
        var statements = oldKeys.subtracting(newKeys).sorted().map { gone in
            SQLStatement(sql: "DELETE FROM \(table) WHERE meeting_id = ? AND \(key) = ?", arguments: [.text(id), .text(gone)])
        }
        for item in new where !oldKeys.contains(keyOf(item)) {
            let values = columns(item)
            let names = (["meeting_id"] + values.map(\.0)).joined(separator: ", ")
            let marks = Array(repeating: "?", count: values.count + 1).joined(separator: ", ")
            statements.append(SQLStatement(sql: "INSERT INTO \(table) (\(names)) VALUES (\(marks))", arguments: [.text(id)] + values.map(\.1)))
        }
        return statements
    }

    /// A meeting from its row and its children's rows (each list in `ord` order).
    static func meeting(_ row: SQLRow, children: [String: [SQLRow]]) throws -> Meeting {
        func rows(_ table: String) -> [SQLRow] { children[table] ?? [] }
        var music: Music?
        if let track = row.optionalText("music_track") {
            music = Music(track: track, volume: Int(try row.integer("music_volume")), startedBy: try row.text("music_started_by"),
                          startedAt: try row.time("music_started_at"))
        }
        var recording: Recording?
        if let by = row.optionalText("recording_started_by") {
            recording = Recording(startedBy: by, startedAt: try row.time("recording_started_at"))
        }
        var screenshare: Screenshare?
        if let userId = row.optionalText("screenshare_user_id") {
            screenshare = Screenshare(userId: userId, startedAt: try row.time("screenshare_started_at"))
        }
        return Meeting(
            id: try row.text("id"), title: try row.text("title"), createdBy: try row.text("created_by"), createdAt: try row.time("created_at"),
            seq: try row.integer("seq"), locked: try row.integer("locked") != 0, ended: try row.integer("ended") != 0,
            hosts: try rows("host").map { try $0.text("user_id") },
            participants: try rows("participant").map {
                Participant(userId: try $0.text("user_id"), name: try $0.text("name"), joinedAt: try $0.time("joined_at"),
                            graceDeadline: $0.optionalInteger("grace_deadline").map(Timestamp.init(milliseconds:)))
            },
            hands: try rows("hand").map { Hand(userId: try $0.text("user_id"), raisedAt: try $0.time("raised_at")) },
            music: music, recording: recording, screenshare: screenshare,
            resources: try rows("resource").map {
                Resource(id: try $0.text("id"), title: try $0.text("title"), url: try $0.text("url"), sharedBy: try $0.text("shared_by"),
                         sharedAt: try $0.time("shared_at"))
            },
            messages: try rows("message").map {
                ChatMessage(id: try $0.text("id"), userId: try $0.text("user_id"), name: try $0.text("name"), text: try $0.text("text"),
                            at: try $0.time("at"))
            },
            removed: try rows("removed_user").map { try $0.text("user_id") },
            subscriptions: try rows("subscription").map { Subscription(socketId: try $0.text("socket_id"), userId: try $0.text("user_id"), node: $0.optionalText("node_id") ?? "") }
        )
    }
}
