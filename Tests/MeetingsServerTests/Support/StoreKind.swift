import Foundation
import Logging
@testable import MeetingsServer
import PostgresNIO
import Testing

/// The databases the storage tests run against: SQLite always, PostgreSQL when
/// `MEETINGS_TEST_POSTGRES_URL` names a server (scripts/test starts one).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MEETINGS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds this machine can run.
    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty database of this kind, as a `DATABASE_URL`.
    func freshDatabase() async throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("meetings-\(UUID().uuidString).sqlite").path
        case .postgres:
            guard let admin = Self.postgresURL else { throw StoreKindUnavailable() }
            return try await PostgresTestDatabase.create(admin: admin)
        }
    }

    /// Opens a store on `url`.
    func open(_ url: String, retention: EventRetention = .standard) async throws -> any MeetingStore {
        switch self {
        case .sqlite: try SQLiteMeetingStore(path: url, retention: retention)
        case .postgres: try await PostgresMeetingStore(url: url, retention: retention)
        }
    }
}

struct StoreKindUnavailable: Error {}

/// Creates one database per test in the test server, so tests never share state.
enum PostgresTestDatabase {
    static func create(admin url: String) async throws -> String {
        let name = "meetings_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        var logger = Logger(label: "postgres-test")
        logger.logLevel = .error
        let client = PostgresClient(configuration: try PostgresMeetingStore.configuration(url), backgroundLogger: logger)
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }
}
