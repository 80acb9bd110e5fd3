import MeetingsContract
@testable import MeetingsServer
import Testing

/// Lock, hosts and the end of a meeting (meetings-api §3 hosts, §4 lock/unlock, hosts, end).
@Suite struct MeetingControlTests {
    // MARK: lock

    @Test func lockAndUnlockEmitTheirEvents() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let locked = try act(&meeting) { try $0.lock(by: .alice, at: .t(1)) }
        let expectedLock: [MeetingEvent.Kind] = [.locked(by: "alice")]
        #expect(locked.map(\.kind) == expectedLock)
        #expect(meeting.locked)

        let unlocked = try act(&meeting) { try $0.unlock(by: .alice, at: .t(2)) }
        let expectedUnlock: [MeetingEvent.Kind] = [.unlocked(by: "alice")]
        #expect(unlocked.map(\.kind) == expectedUnlock)
        #expect(!meeting.locked)
    }

    @Test func lockingALockedMeetingAndUnlockingAnUnlockedOneEmitNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try expectNoOp(&meeting) { try $0.unlock(by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.lock(by: .alice, at: .t(2)) }
        try expectNoOp(&meeting) { try $0.lock(by: .alice, at: .t(3)) }
    }

    @Test func onlyAHostLocksAndUnlocks() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notHost, &meeting) { try $0.lock(by: .bob, at: .t(1)) }
        try act(&meeting) { try $0.lock(by: .alice, at: .t(2)) }
        expectRefusal(.notHost, &meeting) { try $0.unlock(by: .bob, at: .t(3)) }
        expectRefusal(.notHost, &meeting) { try $0.unlock(by: .zed, at: .t(3)) }
    }

    // MARK: promote

    @Test func promoteMakesAParticipantAHost() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let events = try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.hostPromoted(userId: "bob", by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hosts == ["alice", "bob"])
        let bob = try #require(meeting.participant("bob"))
        #expect(meeting.view(of: bob).role == .host)
        // Host rights work at once.
        try act(&meeting) { try $0.lock(by: .bob, at: .t(2)) }
    }

    @Test func promotingAHostEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.promote("bob", by: .alice, at: .t(2)) }
        try expectNoOp(&meeting) { try $0.promote("alice", by: .bob, at: .t(2)) }
    }

    @Test func promoteNeedsAParticipant() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notFound, &meeting) { try $0.promote("zed", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.leave(.bob, at: .t(2)) }
        expectRefusal(.notFound, &meeting) { try $0.promote("bob", by: .alice, at: .t(3)) }
    }

    @Test func onlyAHostPromotes() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        expectRefusal(.notHost, &meeting) { try $0.promote("carol", by: .bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.promote("bob", by: .bob, at: .t(1)) }
    }

    // MARK: demote

    @Test func demotingTheLastHostIsAConflict() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.conflict, &meeting) { try $0.demote("alice", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(2)) }
        try act(&meeting) { try $0.demote("bob", by: .alice, at: .t(3)) }
        expectRefusal(.conflict, &meeting) { try $0.demote("alice", by: .alice, at: .t(4)) }
    }

    @Test func aHostDemotesThemselfWhenAnotherHostExists() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.demote("alice", by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.hostDemoted(userId: "alice", by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hosts == ["bob"])
        let alice = try #require(meeting.participant("alice"))
        #expect(meeting.view(of: alice).role == .participant)
        expectRefusal(.notHost, &meeting) { try $0.lock(by: .alice, at: .t(3)) }
    }

    @Test func aHostDemotesAnotherHostTheCreatorIncluded() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.demote("alice", by: .bob, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.hostDemoted(userId: "alice", by: "bob")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hosts == ["bob"])
    }

    @Test func demotingSomeoneWhoIsNoHostEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try expectNoOp(&meeting) { try $0.demote("bob", by: .alice, at: .t(1)) }
    }

    @Test func onlyAHostDemotes() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.promote("carol", by: .alice, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.demote("carol", by: .bob, at: .t(2)) }
        expectRefusal(.notHost, &meeting) { try $0.demote("alice", by: .bob, at: .t(2)) }
    }

    // MARK: end

    @Test func endStopsEverythingThenEveryoneLeavesThenMeetingEnded() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.startRecording(by: .alice, at: .t(2)) }
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(3)) }
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(4)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(5)) }
        let (resource, _) = try meeting.shareResource(title: "Agenda", url: "https://example.com/agenda", by: .bob, at: .t(6))
        let (message, _) = try meeting.postMessage("bye", by: .carol, at: .t(7))
        #expect(meeting.seq == 10)

        let events = try act(&meeting) { try $0.end(by: .alice, at: .t(8)) }

        let expected: [MeetingEvent.Kind] = [
            .musicStopped(by: "alice"),
            .recordingStopped(by: "alice"),
            .screenshareStopped(userId: "bob", by: "alice"),
            .handLowered(userId: "carol", by: "alice"),
            .handLowered(userId: "bob", by: "alice"),
            .participantLeft(userId: "alice", reason: .ended, by: nil),
            .participantLeft(userId: "bob", reason: .ended, by: nil),
            .participantLeft(userId: "carol", reason: .ended, by: nil),
            .ended(by: "alice"),
        ]
        #expect(events.map(\.kind) == expected)
        let expectedSeqs: [Int64] = [11, 12, 13, 14, 15, 16, 17, 18, 19]
        #expect(events.map(\.seq) == expectedSeqs)
        #expect(events.allSatisfy { $0.at == Timestamp.t(8) })

        #expect(meeting.ended)
        #expect(meeting.participants.isEmpty)
        #expect(meeting.hands.isEmpty)
        #expect(meeting.music == nil)
        #expect(meeting.recording == nil)
        #expect(meeting.screenshare == nil)
        // What stays readable: hosts, resources, messages.
        #expect(meeting.hosts == ["alice"])
        #expect(meeting.resources == [resource])
        #expect(meeting.messages == [message])
    }

    @Test func endOfAQuietMeetingIsOnlyLeavesThenEnded() throws {
        var meeting = try Meeting.fixture(joined: [.bob, .carol])
        // alice ends it without having joined.
        let events = try act(&meeting) { try $0.end(by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [
            .participantLeft(userId: "bob", reason: .ended, by: nil),
            .participantLeft(userId: "carol", reason: .ended, by: nil),
            .ended(by: "alice"),
        ]
        #expect(events.map(\.kind) == expected)
    }

    @Test func endOfAnEmptyMeetingIsJustEnded() throws {
        var meeting = try Meeting.fixture()
        let events = try act(&meeting) { try $0.end(by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.ended(by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.seq == 1)
    }

    @Test func onlyAHostEnds() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notHost, &meeting) { try $0.end(by: .bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.end(by: .zed, at: .t(1)) }
    }

    @Test func afterTheEndEveryActionIsGone() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.remove("carol", by: .alice, at: .t(2)) }
        try act(&meeting) { try $0.end(by: .alice, at: .t(3)) }
        let now = Timestamp.t(4)

        // Membership.
        expectRefusal(.gone, &meeting) { try $0.join(.dave, at: now, grace: .grace) }
        expectRefusal(.gone, &meeting) { try $0.join(.bob, at: now, grace: .grace) }
        expectRefusal(.gone, &meeting) { try $0.leave(.bob, at: now) }
        expectRefusal(.gone, &meeting) { try $0.remove("bob", by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.readmit("carol", by: .alice) }
        // Hands.
        expectRefusal(.gone, &meeting) { try $0.raiseHand(.bob, at: now) }
        expectRefusal(.gone, &meeting) { try $0.lowerHand(by: .bob, at: now) }
        expectRefusal(.gone, &meeting) { try $0.lowerHand(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.lowerHand(of: "bob", by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.lowerAllHands(by: .alice, at: now) }
        // Media.
        expectRefusal(.gone, &meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.stopMusic(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.setMusicVolume(30, by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.startRecording(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.stopRecording(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.startScreenshare(.bob, at: now) }
        expectRefusal(.gone, &meeting) { try $0.stopScreenshare(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.stopScreenshare(by: .bob, at: now) }
        // Sharing.
        expectRefusal(.gone, &meeting) { try $0.shareResource(title: "A", url: "https://example.com", by: .bob, at: now) }
        expectRefusal(.gone, &meeting) { try $0.postMessage("hello?", by: .bob, at: now) }
        // Control.
        expectRefusal(.gone, &meeting) { try $0.lock(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.unlock(by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.promote("bob", by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.demote("bob", by: .alice, at: now) }
        expectRefusal(.gone, &meeting) { try $0.end(by: .alice, at: now) }
        // Gone comes before the role checks.
        expectRefusal(.gone, &meeting) { try $0.lock(by: .zed, at: now) }
        expectRefusal(.gone, &meeting) { try $0.raiseHand(.zed, at: now) }
    }

    @Test func anEndedMeetingExpiresNoOne() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.end(by: .alice, at: .t(1)) }
        expectNoOp(&meeting) { $0.expireAbsentParticipants(at: .t(3600)) }
    }
}
