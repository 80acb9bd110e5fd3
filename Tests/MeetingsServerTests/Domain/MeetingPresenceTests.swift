import MeetingsContract
@testable import MeetingsServer
import Testing

/// Presence from room subscriptions, the grace period and `timeout` (meetings-api §3, §5 Presence).
@Suite struct MeetingPresenceTests {
    @Test func subscribingMakesAnOfflineParticipantOnline() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        #expect(meeting.participant("bob")?.graceDeadline == Timestamp.t(30))

        let events = try act(&meeting) { try $0.subscribe(socketId: "s-bob", userId: "bob", at: .t(5)) }

        let expected: [MeetingEvent.Kind] = [.presenceUpdated(userId: "bob", online: true)]
        #expect(events.map(\.kind) == expected)
        #expect(events.map(\.at) == [Timestamp.t(5)])
        #expect(meeting.isOnline("bob"))
        let bob = try #require(meeting.participant("bob"))
        #expect(bob.graceDeadline == nil)
        #expect(meeting.view(of: bob).online)
    }

    @Test func aSecondSocketEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice", "bob"])
        let events = try act(&meeting) { try $0.subscribe(socketId: "s-bob-2", userId: "bob", at: .t(1)) }
        #expect(events.isEmpty)
        #expect(meeting.seq == 2)
        #expect(meeting.subscriptions.filter { $0.userId == "bob" }.count == 2)
    }

    @Test func subscribingTheSameSocketAgainChangesNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice", "bob"])
        try expectNoOp(&meeting) { try $0.subscribe(socketId: "s-bob", userId: "bob", at: .t(1)) }
    }

    @Test func aNonParticipantsSocketEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        let subscribed = try act(&meeting) { try $0.subscribe(socketId: "s-zed", userId: "zed", at: .t(1)) }
        #expect(subscribed.isEmpty)
        #expect(meeting.isOnline("zed"))
        #expect(!meeting.isParticipant("zed"))
        let unsubscribed = act(&meeting) { $0.unsubscribe(socketId: "s-zed", at: .t(2), grace: .grace) }
        #expect(unsubscribed.isEmpty)
        #expect(!meeting.isOnline("zed"))
        #expect(meeting.seq == 2)
    }

    @Test func unsubscribingTheLastSocketGoesOfflineWithAGraceDeadline() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice", "bob"])
        try act(&meeting) { try $0.subscribe(socketId: "s-bob-2", userId: "bob", at: .t(1)) }

        // One of two sockets goes: still online, no event.
        let first = act(&meeting) { $0.unsubscribe(socketId: "s-bob", at: .t(2), grace: .grace) }
        #expect(first.isEmpty)
        #expect(meeting.isOnline("bob"))
        #expect(meeting.participant("bob")?.graceDeadline == nil)

        // The last one goes: offline, grace period from now.
        let last = act(&meeting) { $0.unsubscribe(socketId: "s-bob-2", at: .t(3), grace: .grace) }
        let expected: [MeetingEvent.Kind] = [.presenceUpdated(userId: "bob", online: false)]
        #expect(last.map(\.kind) == expected)
        #expect(!meeting.isOnline("bob"))
        let bob = try #require(meeting.participant("bob"))
        #expect(bob.graceDeadline == Timestamp.t(33))
        #expect(meeting.view(of: bob).online == false)
        #expect(meeting.nextGraceDeadline == Timestamp.t(33))
    }

    @Test func unsubscribingAnUnknownSocketChangesNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice", "bob"])
        expectNoOp(&meeting) { $0.unsubscribe(socketId: "s-nobody", at: .t(1), grace: .grace) }
        _ = meeting.unsubscribe(socketId: "s-bob", at: .t(2), grace: .grace)
        expectNoOp(&meeting) { $0.unsubscribe(socketId: "s-bob", at: .t(3), grace: .grace) }
    }

    @Test func expiringBeforeTheDeadlineDoesNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        // bob joined at t0 with no socket: deadline t0 + 30 s.
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t0) }
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(29, ms: 999)) }
    }

    @Test func atTheDeadlineTheParticipantLeavesWithReasonTimeout() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(30)) }
        let expected: [MeetingEvent.Kind] = [.participantLeft(userId: "bob", reason: .timeout, by: nil)]
        #expect(events.map(\.kind) == expected)
        #expect(events.map(\.at) == [Timestamp.t(30)])
        #expect(!meeting.isParticipant("bob"))
        #expect(meeting.participants.map(\.userId) == ["alice"])
        #expect(meeting.nextGraceDeadline == nil)
        // Done once: nothing left to expire.
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(60)) }
    }

    @Test func afterTheDeadlineTheHandIsLoweredAndTheScreenshareStoppedFirst() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(2)) }
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(45)) }
        let expected: [MeetingEvent.Kind] = [
            .handLowered(userId: "bob", by: "bob"),
            .screenshareStopped(userId: "bob", by: "bob"),
            .participantLeft(userId: "bob", reason: .timeout, by: nil),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hands.isEmpty)
        #expect(meeting.screenshare == nil)
    }

    @Test func everyoneWhoseGraceRanOutLeavesInParticipantOrder() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol, .dave], online: ["alice", "dave"])
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(31)) }
        let expected: [MeetingEvent.Kind] = [
            .participantLeft(userId: "bob", reason: .timeout, by: nil),
            .participantLeft(userId: "carol", reason: .timeout, by: nil),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.participants.map(\.userId) == ["alice", "dave"])
    }

    @Test func onlyThoseWhoseDeadlinePassedLeave() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        try act(&meeting) { try $0.join(.carol, at: .t(10), grace: .grace) }
        #expect(meeting.nextGraceDeadline == Timestamp.t(30))
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(35)) }
        let expected: [MeetingEvent.Kind] = [.participantLeft(userId: "bob", reason: .timeout, by: nil)]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.nextGraceDeadline == Timestamp.t(40))
    }

    @Test func aParticipantWhoCameBackIsNotExpired() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        try act(&meeting) { try $0.subscribe(socketId: "s-bob", userId: "bob", at: .t(10)) }
        #expect(meeting.nextGraceDeadline == nil)
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(30)) }
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(3600)) }
        #expect(meeting.isParticipant("bob"))
    }

    @Test func aParticipantWhoCameBackAndWentAgainGetsAFreshGracePeriod() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob], online: ["alice"])
        try act(&meeting) { try $0.subscribe(socketId: "s-bob", userId: "bob", at: .t(10)) }
        act(&meeting) { $0.unsubscribe(socketId: "s-bob", at: .t(20), grace: .grace) }
        // The first deadline (t0 + 30 s) no longer counts.
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(30)) }
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(49, ms: 999)) }
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(50)) }
        #expect(events.map(\.name.rawValue) == ["meeting:participant-left"])
    }

    @Test func restartPresenceClearsSocketsAndStartsEveryGracePeriodWithoutEvent() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol], online: ["alice", "bob", "zed"])
        try act(&meeting) { try $0.subscribe(socketId: "s-bob-2", userId: "bob", at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(2)) }
        let before = meeting

        meeting.restartPresence(at: .t(100), grace: .grace)

        #expect(meeting.seq == before.seq)
        #expect(meeting.subscriptions.isEmpty)
        let deadlines: [Timestamp?] = [Timestamp.t(130), Timestamp.t(130), Timestamp.t(130)]
        #expect(meeting.participants.map(\.graceDeadline) == deadlines)
        #expect(meeting.participants.allSatisfy { !meeting.isOnline($0.userId) })
        #expect(meeting.nextGraceDeadline == Timestamp.t(130))
        // Nothing else changed.
        var expected = before
        expected.subscriptions = []
        for index in expected.participants.indices {
            expected.participants[index].graceDeadline = Timestamp.t(130)
        }
        #expect(meeting == expected)

        // Those who come back stay; the others time out.
        try act(&meeting) { try $0.subscribe(socketId: "s-alice-new", userId: "alice", at: .t(105)) }
        let events = act(&meeting) { $0.expireAbsentParticipants(at: .t(130)) }
        let expectedKinds: [MeetingEvent.Kind] = [
            .participantLeft(userId: "bob", reason: .timeout, by: nil),
            .handLowered(userId: "carol", by: "carol"),
            .participantLeft(userId: "carol", reason: .timeout, by: nil),
        ]
        #expect(events.map(\.kind) == expectedKinds)
    }
}
