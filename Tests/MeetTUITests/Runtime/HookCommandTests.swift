import Foundation
@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// A hook's argv, program and environment for one notice.
@Suite struct HookCommandTests {
    var raised: RoomNotice {
        var model = connectedModel(snapshot: snapshot(seq: 0) { $0.participants = [.alice, .bob] })
        return model.update(handRaised("bob", seq: 1)).notices[0]
    }

    @Test func placeholdersAreFilledInEachWord() {
        let command = HookCommand(argv: ["notify-send", "{who} raised a hand ({position})", "{event}:{seq}:{meeting}:{by}"], notice: raised, environment: [:])
        #expect(command.arguments == ["notify-send", "Bob raised a hand (1)", "hand_raised:1:m1:"])
    }

    @Test func otherBracesStayAndValuesAreNotScannedAgain() {
        var notice = raised
        notice.fields["who"] = "{title}"
        let command = HookCommand(argv: ["awk", "{print $1} {who} {nope} {", "}{text}"], notice: notice, environment: [:])
        #expect(command.arguments == ["awk", "{print $1} {title} {nope} {", "}Bob raised a hand (#1)"])
    }

    @Test func theEnvironmentCarriesTheEvent() throws {
        let command = HookCommand(argv: ["x"], notice: raised, environment: ["PATH": "/bin", "HOME": "/home/ada"])
        #expect(command.environment["PATH"] == "/bin")
        #expect(command.environment["HOME"] == "/home/ada")
        #expect(command.environment["MEET_EVENT"] == "hand_raised")
        #expect(command.environment["MEET_MEETING"] == "m1")
        let json = try JSONValue(parsing: command.environment["MEET_JSON"] ?? "")
        #expect(json["userId"] == "bob")
        #expect(json["seq"] == 1)
    }

    @Test func theProgramIsFoundThroughPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meet-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tool = directory.appendingPathComponent("my-tool")
        try "#!/bin/sh\n".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        let plain = directory.appendingPathComponent("not-executable")
        try "".write(to: plain, atomically: true, encoding: .utf8)

        let env = ["PATH": "/nonexistent:\(directory.path)"]
        #expect(HookCommand(argv: ["my-tool"], notice: raised, environment: env).executable?.path == tool.path)
        #expect(HookCommand(argv: ["not-executable"], notice: raised, environment: env).executable == nil)
        #expect(HookCommand(argv: ["no-such-tool"], notice: raised, environment: env).executable == nil)
        #expect(HookCommand(argv: [tool.path], notice: raised, environment: [:]).executable?.path == tool.path)
        #expect(HookCommand(argv: ["/bin/sh"], notice: raised, environment: ["PATH": ""]).executable?.path == "/bin/sh")
        #expect(HookCommand(argv: [directory.path], notice: raised, environment: [:]).executable == nil)
    }
}
