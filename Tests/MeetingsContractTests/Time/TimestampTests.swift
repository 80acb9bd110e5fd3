import Foundation
import MeetingsContract
import Testing

/// Milliseconds since the epoch and their text (checked against Python's datetime).
let timestampCases: [(Int64, String)] = [
    (0, "1970-01-01T00:00:00.000Z"),
    (1, "1970-01-01T00:00:00.001Z"),
    (999, "1970-01-01T00:00:00.999Z"),
    (86_399_999, "1970-01-01T23:59:59.999Z"),
    (86_400_000, "1970-01-02T00:00:00.000Z"),
    (-1, "1969-12-31T23:59:59.999Z"),
    (-86_400_000, "1969-12-31T00:00:00.000Z"),
    (-86_400_001, "1969-12-30T23:59:59.999Z"),
    (-2_208_988_800_000, "1900-01-01T00:00:00.000Z"),
    (951_868_800_000, "2000-03-01T00:00:00.000Z"),
    (1_709_164_799_999, "2024-02-28T23:59:59.999Z"),
    (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
    (1_795_773_600_000, "2026-11-27T10:00:00.000Z"),
    (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
]

/// Server times: whole milliseconds, shown as ISO 8601 UTC with milliseconds like JavaScript's
/// `toISOString()` (meetings-api §3 "All times are server times, ISO 8601 UTC").
@Suite struct TimestampTests {
    @Test(arguments: timestampCases)
    func descriptionAndParsingRoundTrip(milliseconds: Int64, text: String) {
        let timestamp = Timestamp(milliseconds: milliseconds)
        #expect(timestamp.description == text)
        #expect(Timestamp(iso8601: text) == timestamp)
        #expect(Timestamp(iso8601: timestamp.description)?.milliseconds == milliseconds)
    }

    @Test func theFixtureTimeIsTheContractsExampleTime() {
        #expect(Timestamp.t0.description == "2026-11-27T10:00:00.000Z")
        #expect(Timestamp.t(1, ms: 234).description == "2026-11-27T10:00:01.234Z")
    }

    @Test func parsesWithoutFractionalSeconds() {
        #expect(Timestamp(iso8601: "2026-11-27T10:00:00Z") == Timestamp.t0)
        #expect(Timestamp(iso8601: "1970-01-01T00:00:00Z") == Timestamp(milliseconds: 0))
        #expect(Timestamp(iso8601: "2024-02-29T12:34:56Z") == Timestamp(milliseconds: 1_709_210_096_000))
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59Z") == Timestamp(milliseconds: -1000))
    }

    @Test func parsesOtherFractionLengths() {
        #expect(Timestamp(iso8601: "2026-11-27T10:00:00.5Z") == Timestamp.t(0, ms: 500))
        #expect(Timestamp(iso8601: "2026-11-27T10:00:00.05Z") == Timestamp.t(0, ms: 50))
        // Beyond milliseconds is cut, not rounded.
        #expect(Timestamp(iso8601: "2026-11-27T10:00:00.123456Z") == Timestamp.t(0, ms: 123))
        #expect(Timestamp(iso8601: "2026-11-27T10:00:00.9999Z") == Timestamp.t(0, ms: 999))
    }

    @Test(arguments: [
        "",
        "2026-11-27",
        "2026-11-27T10:00:00",
        "2026-11-27T10:00:00.000",
        "2026-11-27T10:00:00+01:00",
        "2026-11-27T10:00:00.000+00:00",
        "2026-11-27T10:00:00.Z",
        "2026-11-27T10:00:00.12aZ",
        "2026-11-27T10:00:00ZZ",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-32T00:00:00Z",
        "2026-11-27T24:00:00Z",
        "2026-11-27T10:60:00Z",
        "2026-11-27T1a:00:00Z",
        "not a time at all, no!Z",
    ])
    func refusesWhatIsNotAnISO8601UTCTime(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func addingADuration() {
        #expect(Timestamp.t0.adding(.seconds(30)) == Timestamp.t(30))
        #expect(Timestamp.t0.adding(.milliseconds(1_500)) == Timestamp.t(1, ms: 500))
        #expect(Timestamp.t0.adding(.zero) == Timestamp.t0)
        #expect(Timestamp(milliseconds: 0).adding(.seconds(86_400)).description == "1970-01-02T00:00:00.000Z")
    }

    @Test func ordersByTime() {
        #expect(Timestamp(milliseconds: -1) < Timestamp(milliseconds: 0))
        #expect(Timestamp.t0 < Timestamp.t(0, ms: 1))
        #expect(!(Timestamp.t0 < Timestamp.t0))
        #expect([Timestamp.t(2), Timestamp.t0, Timestamp.t(1)].sorted() == [Timestamp.t0, Timestamp.t(1), Timestamp.t(2)])
    }

    @Test func codableAsTheISO8601String() throws {
        let data = try JSONEncoder().encode([Timestamp.t(1, ms: 234)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-27T10:00:01.234Z"]"#)
        let decoded = try JSONDecoder().decode([Timestamp].self, from: Data(#"["2026-11-27T10:00:01.234Z","2026-11-27T10:00:00Z"]"#.utf8))
        #expect(decoded == [Timestamp.t(1, ms: 234), Timestamp.t0])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Timestamp].self, from: Data(#"["yesterday"]"#.utf8))
        }
    }
}

extension Timestamp {
    /// 2026-11-27T10:00:00.000Z.
    fileprivate static let t0 = Timestamp(milliseconds: 1_795_773_600_000)

    /// `t0` plus whole seconds (and milliseconds).
    fileprivate static func t(_ seconds: Int64, ms: Int64 = 0) -> Timestamp {
        Timestamp(milliseconds: t0.milliseconds + seconds * 1000 + ms)
    }
}
