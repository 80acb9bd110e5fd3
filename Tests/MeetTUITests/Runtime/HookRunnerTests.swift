import Foundation
@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Synchronization
import Testing

/// Hooks run for real: `/bin/sh -c` scripts (the user's choice of argv, not a shell of ours)
/// writing to a temporary file.
@Suite struct HookRunnerTests {
    /// A temporary directory, removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meet-hooks-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func read(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }
    }

    /// What the runner reported.
    final class Reports: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func handNotices(_ count: Int) -> [RoomNotice] {
        let people = (1...count).map { Person(userId: "u\($0)", name: "User \($0)") }
        var model = connectedModel(snapshot: snapshot(seq: 0) { $0.participants = [.alice] + people })
        return (1...count).flatMap { model.update(handRaised("u\($0)", seq: $0, position: $0)).notices }
    }

    @Test func aHookRunsWithItsArgvAndEnvironment() async throws {
        let scratch = try Scratch()
        let out = scratch.path("out")
        let reports = Reports()
        let runner = HookRunner(
            hooks: ["hand_raised": ["/bin/sh", "-c", "echo \"$MEET_EVENT|$1|$2|$MEET_JSON\" >> \(out)", "hook", "{who}", "{position}"]],
            environment: ["PATH": "/usr/bin:/bin"], report: reports.add)
        runner.fire(handNotices(1)[0])
        #expect(await runner.idle(within: .seconds(10)))
        let line = scratch.read("out").trimmingCharacters(in: .newlines)
        let parts = line.split(separator: "|", maxSplits: 3).map(String.init)
        #expect(parts.count == 4)
        #expect(Array(parts.prefix(3)) == ["hand_raised", "User 1", "1"])
        #expect(try JSONValue(parsing: parts.last ?? "")["userId"] == "u1")
        #expect(reports.all == [])
    }

    @Test func otherEventsRunNothing() async throws {
        let scratch = try Scratch()
        let runner = HookRunner(hooks: ["participant_joined": ["/bin/sh", "-c", "touch \(scratch.path("ran"))"], "message": []],
                                report: { _ in })
        runner.fire(handNotices(1)[0])
        #expect(await runner.idle(within: .seconds(10)))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("ran")))
    }

    @Test func oneRunAtATimeAndOnlyTheNewestWaits() async throws {
        let scratch = try Scratch()
        let out = scratch.path("out")
        // Each run records its start and end; a run that overlapped another would interleave.
        let runner = HookRunner(
            hooks: ["hand_raised": ["/bin/sh", "-c", "echo start {seq} >> \(out); sleep 0.3; echo end {seq} >> \(out)"]],
            report: { _ in })
        for notice in handNotices(4) { runner.fire(notice) }
        #expect(await runner.idle(within: .seconds(10)))
        #expect(scratch.read("out") == "start 1\nend 1\nstart 4\nend 4\n")
    }

    @Test func aFailingHookIsReportedOnceUntilItSucceeds() async throws {
        let scratch = try Scratch()
        let flag = scratch.path("ok")
        let reports = Reports()
        let runner = HookRunner(
            hooks: ["hand_raised": ["/bin/sh", "-c", "test -e \(flag) || { echo 'no display' >&2; echo 'notify: cannot connect' >&2; exit 3; }"]],
            report: reports.add)
        let notices = handNotices(4)
        runner.fire(notices[0])
        #expect(await runner.idle(within: .seconds(10)))
        runner.fire(notices[1])
        #expect(await runner.idle(within: .seconds(10)))
        #expect(reports.all == ["hook hand_raised failed (exit 3): notify: cannot connect"])
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        runner.fire(notices[2])
        #expect(await runner.idle(within: .seconds(10)))
        try FileManager.default.removeItem(atPath: flag)
        runner.fire(notices[3])
        #expect(await runner.idle(within: .seconds(10)))
        #expect(reports.all == ["hook hand_raised failed (exit 3): notify: cannot connect", "hook hand_raised failed (exit 3): notify: cannot connect"])
    }

    @Test func aMissingProgramIsReported() async throws {
        let reports = Reports()
        let runner = HookRunner(hooks: ["hand_raised": ["meet-no-such-program", "{who}"]], environment: ["PATH": "/usr/bin:/bin"], report: reports.add)
        let notices = handNotices(2)
        runner.fire(notices[0])
        runner.fire(notices[1])
        #expect(await runner.idle(within: .seconds(10)))
        #expect(reports.all == ["hook hand_raised failed: cannot run it: meet-no-such-program is not in PATH"])
    }

    @Test func aHookThatRunsTooLongIsStopped() async throws {
        let reports = Reports()
        let runner = HookRunner(hooks: ["hand_raised": ["/bin/sh", "-c", "exec sleep 30"]], timeout: .milliseconds(300), report: reports.add)
        runner.fire(handNotices(1)[0])
        #expect(await runner.idle(within: .seconds(10)))
        #expect(reports.all == ["hook hand_raised failed (timed out after 300 ms)"])
    }
}
