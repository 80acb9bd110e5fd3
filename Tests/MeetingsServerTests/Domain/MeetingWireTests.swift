import MeetingsContract
@testable import MeetingsServer
import SocketIOProtocol
import Testing

/// The wire form of events and of the snapshot: names, payload JSON text and key order
/// (meetings-api §3 snapshot, §5 server → room).
@Suite struct MeetingWireTests {
    /// The payload of an event of meeting `m1` at `t0`.
    func payload(_ kind: MeetingEvent.Kind, seq: Int64 = 1) -> String {
        MeetingEvent(meetingId: "m1", seq: seq, at: .t0, kind: kind).wire
    }

    func name(_ kind: MeetingEvent.Kind) -> String {
        MeetingEvent(meetingId: "m1", seq: 1, at: .t0, kind: kind).name.rawValue
    }

    // MARK: payloads

    @Test func handRaisedPayload() {
        let event = MeetingEvent(meetingId: "m1", seq: 1, at: .t0, kind: .handRaised(userId: "bob", raisedAt: .t0, position: 1))
        #expect(event.wire == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","raisedAt":"2026-11-27T10:00:00.000Z","position":1}"#)
        #expect(event.name.rawValue == "meeting:hand-raised")
    }

    @Test func participantJoinedPayloadShowsTheParticipantAsInTheSnapshot() {
        let view = ParticipantView(userId: "bob", name: "Bob", role: .participant, joinedAt: .t0, online: false)
        #expect(payload(.participantJoined(view), seq: 2) == #"{"meetingId":"m1","seq":2,"at":"2026-11-27T10:00:00.000Z","participant":{"userId":"bob","name":"Bob","role":"participant","joinedAt":"2026-11-27T10:00:00.000Z","online":false}}"#)
    }

    @Test func participantLeftPayloadHasByOnlyWhenRemoved() {
        #expect(payload(.participantLeft(userId: "bob", reason: .removed, by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","reason":"removed","by":"alice"}"#)
        #expect(payload(.participantLeft(userId: "bob", reason: .left, by: nil)) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","reason":"left"}"#)
        #expect(payload(.participantLeft(userId: "bob", reason: .timeout, by: nil)) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","reason":"timeout"}"#)
        #expect(payload(.participantLeft(userId: "bob", reason: .ended, by: nil)) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","reason":"ended"}"#)
    }

    @Test func presenceHandAndHostPayloads() {
        #expect(payload(.presenceUpdated(userId: "bob", online: true)) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","online":true}"#)
        #expect(payload(.presenceUpdated(userId: "bob", online: false)) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","online":false}"#)
        #expect(payload(.handLowered(userId: "bob", by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","by":"alice"}"#)
        #expect(payload(.hostPromoted(userId: "bob", by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","by":"alice"}"#)
        #expect(payload(.hostDemoted(userId: "alice", by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"alice","by":"alice"}"#)
    }

    @Test func mediaPayloads() {
        #expect(payload(.musicStarted(track: "Lo-fi", volume: 40, by: "alice"), seq: 42) == #"{"meetingId":"m1","seq":42,"at":"2026-11-27T10:00:00.000Z","track":"Lo-fi","volume":40,"by":"alice"}"#)
        #expect(payload(.musicStopped(by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","by":"alice"}"#)
        #expect(payload(.musicVolumeUpdated(volume: 0, by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","volume":0,"by":"alice"}"#)
        #expect(payload(.recordingStarted(by: "alice", startedAt: .t(1))) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","by":"alice","startedAt":"2026-11-27T10:00:01.000Z"}"#)
        #expect(payload(.recordingStopped(by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","by":"alice"}"#)
        #expect(payload(.screenshareStarted(userId: "bob")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob"}"#)
        #expect(payload(.screenshareStopped(userId: "bob", by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob","by":"alice"}"#)
    }

    @Test func controlPayloads() {
        #expect(payload(.locked(by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","by":"alice"}"#)
        #expect(payload(.unlocked(by: "alice")) == #"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","by":"alice"}"#)
        #expect(payload(.ended(by: "alice"), seq: 9) == #"{"meetingId":"m1","seq":9,"at":"2026-11-27T10:00:00.000Z","by":"alice"}"#)
    }

    @Test func resourceAndMessagePayloadsNestTheObjectAsInTheSnapshot() {
        let resource = Resource(id: "r3", title: "Agenda", url: "https://example.com/agenda?a=1&b=2", sharedBy: "bob", sharedAt: .t0)
        #expect(payload(.resourceShared(resource), seq: 3) == #"{"meetingId":"m1","seq":3,"at":"2026-11-27T10:00:00.000Z","resource":{"id":"r3","title":"Agenda","url":"https://example.com/agenda?a=1&b=2","sharedBy":"bob","sharedAt":"2026-11-27T10:00:00.000Z"}}"#)
        let message = ChatMessage(id: "m4", userId: "bob", name: "Bob", text: "one sec, \"mic\" issue\n\\o/ 😀", at: .t0)
        #expect(payload(.message(message), seq: 4) == #"{"meetingId":"m1","seq":4,"at":"2026-11-27T10:00:00.000Z","message":{"id":"m4","userId":"bob","name":"Bob","text":"one sec, \"mic\" issue\n\\o/ 😀","at":"2026-11-27T10:00:00.000Z"}}"#)
    }

    @Test func payloadsOfEventsTheDomainEmitted() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let raised = try act(&meeting) { try $0.raiseHand(.bob, at: .t(1, ms: 234)) }
        #expect(raised.map(\.wire) == [#"{"meetingId":"m1","seq":3,"at":"2026-11-27T10:00:01.234Z","userId":"bob","raisedAt":"2026-11-27T10:00:01.234Z","position":1}"#])
        let removed = try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(2)) }
        let expected = [
            #"{"meetingId":"m1","seq":4,"at":"2026-11-27T10:00:02.000Z","userId":"bob","by":"alice"}"#,
            #"{"meetingId":"m1","seq":5,"at":"2026-11-27T10:00:02.000Z","userId":"bob","reason":"removed","by":"alice"}"#,
        ]
        #expect(removed.map(\.wire) == expected)
        #expect(removed.map(\.name.rawValue) == ["meeting:hand-lowered", "meeting:participant-left"])
    }

    @Test func theJoinedParticipantIsTheSnapshotsEntry() throws {
        var meeting = try Meeting.fixture(joined: [.alice], online: ["carol"])
        let bob = try act(&meeting) { try $0.join(.bob, at: .t(1), grace: .grace) }
        let carol = try act(&meeting) { try $0.join(.carol, at: .t(2), grace: .grace) }
        let snapshot = JSONValue(contract: meeting.snapshot)
        let bobJoined = try #require(bob.first)
        let carolJoined = try #require(carol.first)
        #expect(JSONValue(contract: bobJoined)["participant"] == snapshot["participants"]?[1])
        #expect(JSONValue(contract: carolJoined)["participant"] == snapshot["participants"]?[2])
        #expect(snapshot["participants"]?[2]?["online"] == JSONValue.bool(true))
        #expect(snapshot["participants"]?[1]?["online"] == JSONValue.bool(false))
    }

    // MARK: names

    @Test func eventNamesAreTheContracts() {
        let view = ParticipantView(userId: "bob", name: "Bob", role: .participant, joinedAt: .t0, online: false)
        let resource = Resource(id: "r1", title: "A", url: "https://example.com", sharedBy: "bob", sharedAt: .t0)
        let message = ChatMessage(id: "m1", userId: "bob", name: "Bob", text: "hi", at: .t0)
        #expect(name(.participantJoined(view)) == "meeting:participant-joined")
        #expect(name(.participantLeft(userId: "bob", reason: .left, by: nil)) == "meeting:participant-left")
        #expect(name(.presenceUpdated(userId: "bob", online: true)) == "meeting:presence-updated")
        #expect(name(.handRaised(userId: "bob", raisedAt: .t0, position: 1)) == "meeting:hand-raised")
        #expect(name(.handLowered(userId: "bob", by: "bob")) == "meeting:hand-lowered")
        #expect(name(.musicStarted(track: "a", volume: 1, by: "alice")) == "meeting:music-started")
        #expect(name(.musicStopped(by: "alice")) == "meeting:music-stopped")
        #expect(name(.musicVolumeUpdated(volume: 1, by: "alice")) == "meeting:music-volume-updated")
        #expect(name(.recordingStarted(by: "alice", startedAt: .t0)) == "meeting:recording-started")
        #expect(name(.recordingStopped(by: "alice")) == "meeting:recording-stopped")
        #expect(name(.screenshareStarted(userId: "bob")) == "meeting:screenshare-started")
        #expect(name(.screenshareStopped(userId: "bob", by: "bob")) == "meeting:screenshare-stopped")
        #expect(name(.resourceShared(resource)) == "meeting:resource-shared")
        #expect(name(.locked(by: "alice")) == "meeting:locked")
        #expect(name(.unlocked(by: "alice")) == "meeting:unlocked")
        #expect(name(.hostPromoted(userId: "bob", by: "alice")) == "meeting:host-promoted")
        #expect(name(.hostDemoted(userId: "bob", by: "alice")) == "meeting:host-demoted")
        #expect(name(.message(message)) == "meeting:message")
        #expect(name(.ended(by: "alice")) == "meeting:ended")
    }

    // MARK: snapshot

    @Test func snapshotOfAFreshMeeting() throws {
        let meeting = try Meeting.fixture()
        #expect(meeting.snapshot.wire == #"{"id":"m1","title":"Weekly sync","createdBy":"alice","createdAt":"2026-11-27T10:00:00.000Z","seq":0,"locked":false,"participants":[],"hands":[],"music":{"playing":false},"recording":{"active":false},"screenshare":{"active":false},"resources":[],"messages":[],"ended":false}"#)
    }

    @Test func snapshotWithEverythingInTheContractsKeyOrder() throws {
        var meeting = try Meeting.fixture(joined: [.alice], online: ["alice"])
        try act(&meeting) { try $0.join(.bob, at: .t(1), grace: .grace) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(3)) }
        try act(&meeting) { try $0.startRecording(by: .alice, at: .t(4)) }
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(5)) }
        _ = try meeting.shareResource(title: "Agenda", url: "https://example.com/agenda", by: .bob, at: .t(6))
        _ = try meeting.postMessage("one sec, mic issue", by: .bob, at: .t(7))
        try act(&meeting) { try $0.lock(by: .alice, at: .t(8)) }

        let expected: String = [
            #"{"id":"m1","title":"Weekly sync","createdBy":"alice","createdAt":"2026-11-27T10:00:00.000Z","seq":9,"locked":true,"#,
            #""participants":[{"userId":"alice","name":"Alice","role":"host","joinedAt":"2026-11-27T10:00:00.000Z","online":true},"#,
            #"{"userId":"bob","name":"Bob","role":"participant","joinedAt":"2026-11-27T10:00:01.000Z","online":false}],"#,
            #""hands":[{"userId":"bob","raisedAt":"2026-11-27T10:00:02.000Z","position":1}],"#,
            #""music":{"playing":true,"track":"Lo-fi","volume":40,"startedBy":"alice","startedAt":"2026-11-27T10:00:03.000Z"},"#,
            #""recording":{"active":true,"startedBy":"alice","startedAt":"2026-11-27T10:00:04.000Z"},"#,
            #""screenshare":{"active":true,"userId":"bob","startedAt":"2026-11-27T10:00:05.000Z"},"#,
            #""resources":[{"id":"r7","title":"Agenda","url":"https://example.com/agenda","sharedBy":"bob","sharedAt":"2026-11-27T10:00:06.000Z"}],"#,
            #""messages":[{"id":"m8","userId":"bob","name":"Bob","text":"one sec, mic issue","at":"2026-11-27T10:00:07.000Z"}],"#,
            #""ended":false}"#,
        ].joined()
        #expect(meeting.snapshot.wire == expected)
    }

    @Test func snapshotHandPositionsStartAt1() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        #expect(JSONValue(contract: meeting.snapshot)["hands"]?.jsonString == #"[{"userId":"carol","raisedAt":"2026-11-27T10:00:01.000Z","position":1},{"userId":"bob","raisedAt":"2026-11-27T10:00:02.000Z","position":2}]"#)
    }

    @Test func snapshotOfAnEndedMeeting() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.end(by: .alice, at: .t(1)) }
        #expect(meeting.snapshot.wire == #"{"id":"m1","title":"Weekly sync","createdBy":"alice","createdAt":"2026-11-27T10:00:00.000Z","seq":3,"locked":false,"participants":[],"hands":[],"music":{"playing":false},"recording":{"active":false},"screenshare":{"active":false},"resources":[],"messages":[],"ended":true}"#)
    }

    @Test func summaryOfAMeeting() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.lock(by: .alice, at: .t(1)) }
        #expect(meeting.summary.wire == #"{"id":"m1","title":"Weekly sync","createdBy":"alice","createdAt":"2026-11-27T10:00:00.000Z","locked":true,"participantCount":2}"#)
    }
}

extension Encodable {
    /// The JSON text the server sends for this contract value.
    var wire: String { JSONValue(contract: self).jsonString }
}
