import Foundation
@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// The meeting log: where it is, what a line looks like, and the file it writes.
@Suite struct MeetingLogTests {
    func notices(_ messages: [ClientMessage]) -> [RoomNotice] {
        var model = connectedModel(snapshot: snapshot(seq: 11) { $0.participants = [.alice, .bob] })
        return messages.flatMap { model.update($0).notices }
    }

    @Test func theDirectory() {
        #expect(MeetingLog.directory(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/ada"]) == "/state/meet")
        #expect(MeetingLog.directory(environment: ["XDG_STATE_HOME": "", "HOME": "/home/ada"]) == "/home/ada/.local/state/meet")
    }

    @Test func theFileNameIsTheMeetingIdMadeSafe() {
        #expect(MeetingLog.fileName(for: "k3v9-x7qp-2mzt-8hdc") == "k3v9-x7qp-2mzt-8hdc.log")
        #expect(MeetingLog.fileName(for: "../etc/passwd") == "_.._etc_passwd.log")
        #expect(MeetingLog.fileName(for: "") == "_.log")
    }

    @Test func aLinePerNotice() {
        let lines = notices([
            handRaised("bob", seq: 12, at: 5),
            roomEvent("meeting:message", seq: 13, at: 6, [("message", messageJSON(id: "m", userId: "bob", name: "Bob", text: "two\nlines"))]),
            roomEvent("meeting:participant-left", seq: 14, at: 7, [("userId", "bob"), ("reason", "removed"), ("by", "alice")]),
        ]).map { MeetingLog.line(for: $0) }
        #expect(lines == [
            "2026-11-27T10:00:05.000Z seq=12 hand_raised Bob raised a hand (#1)",
            "2026-11-27T10:00:06.000Z seq=13 message <Bob> two\\nlines",
            "2026-11-27T10:00:07.000Z seq=14 participant_left Bob was removed by Alice",
        ])
    }

    @Test func theClientsOwnLines() {
        #expect(MeetingLog.line(at: Fixture.time(3), seq: nil, kind: "connection", text: MeetingLog.describe(.connected(transport: "websocket")))
            == "2026-11-27T10:00:03.000Z seq=- connection connected over websocket")
        #expect(MeetingLog.describe(.reconnecting(attempt: 2, nextInMilliseconds: 1800)) == "reconnecting (attempt 2, next in 1800 ms)")
        #expect(MeetingLog.describe(.offline(reason: "io server disconnect")) == "offline (io server disconnect)")
        #expect(MeetingLog.line(at: Fixture.time(0), seq: nil, kind: "session", text: "") == "2026-11-27T10:00:00.000Z seq=- session")
    }

    @Test func writesAPrivateFileInAPrivateDirectory() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("meet-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let directory = base.appendingPathComponent("state/meet").path
        let log = try MeetingLog(meetingId: "m1", directory: directory)
        #expect(log.path == directory + "/m1.log")
        for notice in notices([handRaised("bob", seq: 12, at: 5)]) { log.record(notice) }
        log.note("connection", "connected over websocket", at: Fixture.time(9))
        await log.close()
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text == "2026-11-27T10:00:05.000Z seq=12 hand_raised Bob raised a hand (#1)\n2026-11-27T10:00:09.000Z seq=- connection connected over websocket\n")
        let fileMode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        let directoryMode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(directoryMode == 0o700)

        // A second session appends.
        let again = try MeetingLog(meetingId: "m1", directory: directory)
        again.note("session", "joined", at: Fixture.time(10))
        await again.close()
        #expect(try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").count == 3)
    }

    @Test func aLogThatCannotBeOpenedSaysWhy() {
        let error = #expect(throws: MeetingLogError.self) { try MeetingLog(meetingId: "m1", directory: "/proc/meet-cannot-be-here") }
        #expect(error?.description.hasPrefix("cannot create /proc/meet-cannot-be-here: ") == true)
    }

    @Test func sinksLogNoticesAndConnectionChangesOnce() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("meet-sinks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let settings = SessionSettings(servers: [], token: "", logDirectory: base.path)
        let sinks = SessionSinks(settings: settings, meetingId: "m1") { _ in }
        sinks.connection(.connected(transport: "websocket"))
        sinks.connection(.connected(transport: "websocket"))
        for notice in notices([handRaised("bob", seq: 12, at: 5)]) { sinks.notice(notice) }
        sinks.connection(.reconnecting(attempt: 1, nextInMilliseconds: 500))
        await sinks.close()
        let lines = try String(contentsOfFile: base.path + "/m1.log", encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(lines == ["seq=- connection connected over websocket", "seq=12 hand_raised Bob raised a hand (#1)",
                          "seq=- connection reconnecting (attempt 1, next in 500 ms)"])
    }

    @Test func sinksReportALogThatCannotBeOpened() {
        let reports = HookRunnerTests.Reports()
        _ = SessionSinks(settings: SessionSettings(servers: [], token: "", logDirectory: "/proc/meet-no"), meetingId: "m1", report: reports.add)
        #expect(reports.all.count == 1)
        #expect(reports.all.first?.hasPrefix("Meeting log off: cannot create /proc/meet-no") == true)
    }
}
