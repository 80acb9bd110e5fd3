import Logging
import PostgresNIO

/// The PostgreSQL schema, the same tables as SQLite's (`BIGINT` for integers and flags). A
/// migration, once shipped, is never edited: changes go in a new one.
enum PostgresMigrations {
    static let all: [(name: String, sql: [String])] = [
        ("v1 meetings", [
            """
            CREATE TABLE meeting (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                version BIGINT NOT NULL,
                locked BIGINT NOT NULL,
                ended BIGINT NOT NULL,
                music_track TEXT,
                music_volume BIGINT,
                music_started_by TEXT,
                music_started_at BIGINT,
                recording_started_by TEXT,
                recording_started_at BIGINT,
                screenshare_user_id TEXT,
                screenshare_started_at BIGINT
            )
            """,
            "CREATE INDEX meeting_created_by ON meeting(created_by)",
            "CREATE TABLE host (ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), user_id TEXT NOT NULL, UNIQUE (meeting_id, user_id))",
            "CREATE INDEX host_user ON host(user_id)",
            """
            CREATE TABLE participant (
                ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), user_id TEXT NOT NULL,
                name TEXT NOT NULL, joined_at BIGINT NOT NULL, grace_deadline BIGINT, UNIQUE (meeting_id, user_id)
            )
            """,
            "CREATE INDEX participant_user ON participant(user_id)",
            "CREATE INDEX participant_grace ON participant(grace_deadline) WHERE grace_deadline IS NOT NULL",
            "CREATE TABLE hand (ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), user_id TEXT NOT NULL, raised_at BIGINT NOT NULL, UNIQUE (meeting_id, user_id))",
            """
            CREATE TABLE resource (
                ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), id TEXT NOT NULL, title TEXT NOT NULL,
                url TEXT NOT NULL, shared_by TEXT NOT NULL, shared_at BIGINT NOT NULL, UNIQUE (meeting_id, id)
            )
            """,
            """
            CREATE TABLE message (
                ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), id TEXT NOT NULL, user_id TEXT NOT NULL,
                name TEXT NOT NULL, text TEXT NOT NULL, at BIGINT NOT NULL, UNIQUE (meeting_id, id)
            )
            """,
            "CREATE TABLE removed_user (ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), user_id TEXT NOT NULL, UNIQUE (meeting_id, user_id))",
            "CREATE TABLE subscription (ord BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meeting(id), socket_id TEXT NOT NULL, user_id TEXT NOT NULL, UNIQUE (meeting_id, socket_id))",
            "CREATE TABLE event (meeting_id TEXT NOT NULL REFERENCES meeting(id), seq BIGINT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (meeting_id, seq))",
        ]),
        ("v2 nodes", [
            "ALTER TABLE subscription ADD COLUMN node_id TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX subscription_node ON subscription(node_id)",
            "CREATE TABLE node (id TEXT PRIMARY KEY, heartbeat_at BIGINT NOT NULL)",
            "CREATE TABLE socketio_payload (id BIGSERIAL PRIMARY KEY, created_at BIGINT NOT NULL, payload TEXT NOT NULL)",
        ]),
        ("v3 connection state recovery", [
            """
            CREATE TABLE socketio_recovery_event (
                id BIGSERIAL PRIMARY KEY, namespace TEXT NOT NULL, node TEXT, event_offset TEXT NOT NULL,
                message TEXT NOT NULL, emitted_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX socketio_recovery_event_offset ON socketio_recovery_event(namespace, event_offset)",
            "CREATE INDEX socketio_recovery_event_emitted ON socketio_recovery_event(emitted_at)",
            """
            CREATE TABLE socketio_recovery_session (
                pid TEXT PRIMARY KEY, namespace TEXT NOT NULL, node TEXT NOT NULL, message TEXT NOT NULL, expires_at BIGINT NOT NULL
            )
            """,
        ]),
    ]

    /// Applies the migrations not yet applied, one node at a time (an advisory lock).
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7306172)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS meetings_schema_migrations (name TEXT PRIMARY KEY)", logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM meetings_schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in all where !applied.contains(migration.name) {
                for sql in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
                try await connection.query("INSERT INTO meetings_schema_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}
