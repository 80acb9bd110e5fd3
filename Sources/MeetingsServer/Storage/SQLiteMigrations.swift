import GRDB

/// The SQLite schema. A migration, once shipped, is never edited: changes go in a new one.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 meetings") { db in
            try db.execute(sql: """
                CREATE TABLE meeting (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    locked INTEGER NOT NULL,
                    ended INTEGER NOT NULL,
                    music_track TEXT,
                    music_volume INTEGER,
                    music_started_by TEXT,
                    music_started_at INTEGER,
                    recording_started_by TEXT,
                    recording_started_at INTEGER,
                    screenshare_user_id TEXT,
                    screenshare_started_at INTEGER
                );
                CREATE INDEX meeting_created_by ON meeting(created_by);
                CREATE TABLE host (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    user_id TEXT NOT NULL,
                    UNIQUE (meeting_id, user_id)
                );
                CREATE INDEX host_user ON host(user_id);
                CREATE TABLE participant (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    user_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    joined_at INTEGER NOT NULL,
                    grace_deadline INTEGER,
                    UNIQUE (meeting_id, user_id)
                );
                CREATE INDEX participant_user ON participant(user_id);
                CREATE INDEX participant_grace ON participant(grace_deadline) WHERE grace_deadline IS NOT NULL;
                CREATE TABLE hand (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    user_id TEXT NOT NULL,
                    raised_at INTEGER NOT NULL,
                    UNIQUE (meeting_id, user_id)
                );
                CREATE TABLE resource (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    id TEXT NOT NULL,
                    title TEXT NOT NULL,
                    url TEXT NOT NULL,
                    shared_by TEXT NOT NULL,
                    shared_at INTEGER NOT NULL,
                    UNIQUE (meeting_id, id)
                );
                CREATE TABLE message (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    UNIQUE (meeting_id, id)
                );
                CREATE TABLE removed_user (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    user_id TEXT NOT NULL,
                    UNIQUE (meeting_id, user_id)
                );
                CREATE TABLE subscription (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    socket_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    UNIQUE (meeting_id, socket_id)
                );
                CREATE TABLE event (
                    meeting_id TEXT NOT NULL REFERENCES meeting(id),
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (meeting_id, seq)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2 subscription node") { db in
            try db.execute(sql: "ALTER TABLE subscription ADD COLUMN node_id TEXT NOT NULL DEFAULT ''")
        }
        return migrator
    }
}
