import MeetingsContract
@testable import MeetingsServer
import Testing

/// Creating, joining, leaving, removing and readmitting (meetings-api §3, §4).
@Suite struct MeetingMembershipTests {
    // MARK: create

    @Test func createStartsAtSeqZeroWithTheCreatorAsOnlyHostAndNoParticipant() throws {
        let meeting = try Meeting.create(id: "m1", title: "Weekly sync", by: .alice, at: .t0)
        #expect(meeting.id == "m1")
        #expect(meeting.title == "Weekly sync")
        #expect(meeting.createdBy == "alice")
        #expect(meeting.createdAt == Timestamp.t0)
        #expect(meeting.seq == 0)
        #expect(meeting.hosts == ["alice"])
        #expect(meeting.isHost("alice"))
        #expect(meeting.participants.isEmpty)
        #expect(!meeting.isParticipant("alice"))
        #expect(!meeting.locked)
        #expect(!meeting.ended)
        #expect(meeting.hands.isEmpty)
        #expect(meeting.music == nil)
        #expect(meeting.recording == nil)
        #expect(meeting.screenshare == nil)
        #expect(meeting.resources.isEmpty)
        #expect(meeting.messages.isEmpty)
        #expect(meeting.removed.isEmpty)
        #expect(meeting.subscriptions.isEmpty)
    }

    @Test func createRefusesABlankOrTooLongTitle() {
        let blank = refusalCode { try Meeting.create(id: "m1", title: " \t\n", by: .alice, at: .t0) }
        #expect(blank == ErrorCode.invalidRequest)
        let empty = refusalCode { try Meeting.create(id: "m1", title: "", by: .alice, at: .t0) }
        #expect(empty == ErrorCode.invalidRequest)
        let long = refusalCode { try Meeting.create(id: "m1", title: String(repeating: "a", count: 201), by: .alice, at: .t0) }
        #expect(long == ErrorCode.invalidRequest)
        let longest = refusalCode { try Meeting.create(id: "m1", title: String(repeating: "a", count: 200), by: .alice, at: .t0) }
        #expect(longest == nil)
    }

    // MARK: join

    @Test func joinEmitsParticipantJoinedWithTheSnapshotView() throws {
        var meeting = try Meeting.fixture()
        let aliceJoined = try act(&meeting) { try $0.join(.alice, at: .t(1), grace: .grace) }
        let bobJoined = try act(&meeting) { try $0.join(.bob, at: .t(2), grace: .grace) }

        let aliceView = ParticipantView(userId: "alice", name: "Alice", role: .host, joinedAt: .t(1), online: false)
        let bobView = ParticipantView(userId: "bob", name: "Bob", role: .participant, joinedAt: .t(2), online: false)
        let expectedAlice: [MeetingEvent.Kind] = [.participantJoined(aliceView)]
        let expectedBob: [MeetingEvent.Kind] = [.participantJoined(bobView)]
        #expect(aliceJoined.map(\.kind) == expectedAlice)
        #expect(bobJoined.map(\.kind) == expectedBob)
        #expect(bobJoined.map(\.at) == [Timestamp.t(2)])
        #expect(meeting.participants.map(\.userId) == ["alice", "bob"])
        #expect(meeting.seq == 2)
    }

    @Test func joinTakesTheNameFromTheCaller() throws {
        var meeting = try Meeting.fixture()
        try act(&meeting) { try $0.join(Caller(userId: "erin"), at: .t0, grace: .grace) }
        #expect(meeting.participant("erin")?.name == "erin")
    }

    @Test func joiningAgainChangesNothingAndEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try expectNoOp(&meeting) { try $0.join(.bob, at: .t(5), grace: .grace) }
        try expectNoOp(&meeting) { try $0.join(.alice, at: .t(5), grace: .grace) }
    }

    @Test func aLockedMeetingRefusesNewcomers() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try act(&meeting) { try $0.lock(by: .alice, at: .t(1)) }
        expectRefusal(.meetingLocked, &meeting) { try $0.join(.carol, at: .t(2), grace: .grace) }
    }

    @Test func aLockedMeetingLetsHostsJoin() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try act(&meeting) { try $0.lock(by: .alice, at: .t(1)) }
        // alice created the meeting (a host) but has not joined yet.
        let events = try act(&meeting) { try $0.join(.alice, at: .t(2), grace: .grace) }
        #expect(events.map(\.name.rawValue) == ["meeting:participant-joined"])
        #expect(meeting.isParticipant("alice"))
    }

    @Test func aLockedMeetingLetsAHostWhoLeftJoinAgain() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.leave(.bob, at: .t(2)) }
        try act(&meeting) { try $0.lock(by: .alice, at: .t(3)) }
        let events = try act(&meeting) { try $0.join(.bob, at: .t(4), grace: .grace) }
        #expect(events.map(\.name.rawValue) == ["meeting:participant-joined"])
    }

    @Test func aLockedMeetingLetsExistingParticipantsJoinAgainAsANoOp() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try act(&meeting) { try $0.lock(by: .alice, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.join(.bob, at: .t(2), grace: .grace) }
    }

    @Test func aRemovedUserCannotJoin() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(1)) }
        expectRefusal(.removed, &meeting) { try $0.join(.bob, at: .t(2), grace: .grace) }
        // Removal is reported even when the meeting is also locked.
        try act(&meeting) { try $0.lock(by: .alice, at: .t(3)) }
        expectRefusal(.removed, &meeting) { try $0.join(.bob, at: .t(4), grace: .grace) }
    }

    @Test func anEndedMeetingIsGoneForJoins() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.end(by: .alice, at: .t(1)) }
        expectRefusal(.gone, &meeting) { try $0.join(.carol, at: .t(2), grace: .grace) }
        expectRefusal(.gone, &meeting) { try $0.join(.alice, at: .t(2), grace: .grace) }
    }

    @Test func joinWithoutASubscribedSocketStartsTheGracePeriod() throws {
        var meeting = try Meeting.fixture()
        let events = try act(&meeting) { try $0.join(.bob, at: .t(1), grace: .grace) }
        let bob = try #require(meeting.participant("bob"))
        #expect(bob.graceDeadline == Timestamp.t(31))
        #expect(meeting.view(of: bob).online == false)
        #expect(meeting.nextGraceDeadline == Timestamp.t(31))
        let event = try #require(events.first)
        guard case .participantJoined(let view) = event.kind else {
            Issue.record("expected participant-joined, got \(events)")
            return
        }
        #expect(view.online == false)
    }

    @Test func joinWithASubscribedSocketIsOnlineWithoutGraceDeadline() throws {
        var meeting = try Meeting.fixture(online: ["bob"])
        #expect(meeting.seq == 0, "a non-participant's socket emits nothing")
        let events = try act(&meeting) { try $0.join(.bob, at: .t(1), grace: .grace) }
        let bob = try #require(meeting.participant("bob"))
        #expect(bob.graceDeadline == nil)
        #expect(meeting.nextGraceDeadline == nil)
        let expected: [MeetingEvent.Kind] = [
            .participantJoined(ParticipantView(userId: "bob", name: "Bob", role: .participant, joinedAt: .t(1), online: true)),
        ]
        #expect(events.map(\.kind) == expected)
    }

    // MARK: leave

    @Test func leaveLowersTheHandAndStopsTheScreenshareFirstEachWithItsEvent() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(3)) }

        let events = try act(&meeting) { try $0.leave(.bob, at: .t(4)) }

        let expected: [MeetingEvent.Kind] = [
            .handLowered(userId: "bob", by: "bob"),
            .screenshareStopped(userId: "bob", by: "bob"),
            .participantLeft(userId: "bob", reason: .left, by: nil),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(events.allSatisfy { $0.at == Timestamp.t(4) })
        #expect(!meeting.isParticipant("bob"))
        #expect(meeting.hands.map(\.userId) == ["carol"])
        #expect(meeting.screenshare == nil)
        #expect(meeting.participants.map(\.userId) == ["alice", "carol"])
    }

    @Test func leaveWithoutHandOrScreenshareEmitsOnlyParticipantLeft() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let events = try act(&meeting) { try $0.leave(.bob, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.participantLeft(userId: "bob", reason: .left, by: nil)]
        #expect(events.map(\.kind) == expected)
    }

    @Test func leaveKeepsAnotherParticipantsScreenshare() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.startScreenshare(.carol, at: .t(1)) }
        try act(&meeting) { try $0.leave(.bob, at: .t(2)) }
        #expect(meeting.screenshare?.userId == "carol")
    }

    @Test func aHostWhoLeavesStaysHost() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.leave(.alice, at: .t(1)) }
        #expect(meeting.hosts == ["alice"])
        try act(&meeting) { try $0.lock(by: .alice, at: .t(2)) }
    }

    @Test func onlyParticipantsLeave() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &meeting) { try $0.leave(.carol, at: .t(1)) }
        // The creator is a host but has not joined.
        expectRefusal(.notParticipant, &meeting) { try $0.leave(.alice, at: .t(1)) }
        try act(&meeting) { try $0.leave(.bob, at: .t(1)) }
        expectRefusal(.notParticipant, &meeting) { try $0.leave(.bob, at: .t(2)) }
    }

    // MARK: remove

    @Test func onlyAHostRemoves() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        expectRefusal(.notHost, &meeting) { try $0.remove("carol", by: .bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.remove("carol", by: .zed, at: .t(1)) }
    }

    @Test func removeEmitsParticipantLeftWithReasonRemovedAndBy() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        let events = try act(&meeting) { try $0.remove("carol", by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.participantLeft(userId: "carol", reason: .removed, by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(!meeting.isParticipant("carol"))
        #expect(meeting.isRemoved("carol"))
        #expect(meeting.removed == ["carol"])
    }

    @Test func removeLowersTheHandAndStopsTheScreenshareByTheHost() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(2)) }
        let events = try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(3)) }
        let expected: [MeetingEvent.Kind] = [
            .handLowered(userId: "bob", by: "alice"),
            .screenshareStopped(userId: "bob", by: "alice"),
            .participantLeft(userId: "bob", reason: .removed, by: "alice"),
        ]
        #expect(events.map(\.kind) == expected)
    }

    @Test func removingAHostDemotesThemFirst() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        let events = try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(3)) }
        let expected: [MeetingEvent.Kind] = [
            .hostDemoted(userId: "bob", by: "alice"),
            .handLowered(userId: "bob", by: "alice"),
            .participantLeft(userId: "bob", reason: .removed, by: "alice"),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hosts == ["alice"])
        #expect(!meeting.isHost("bob"))
    }

    @Test func aPromotedHostCanRemoveTheCreator() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.remove("alice", by: .bob, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [
            .hostDemoted(userId: "alice", by: "bob"),
            .participantLeft(userId: "alice", reason: .removed, by: "bob"),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hosts == ["bob"])
        expectRefusal(.removed, &meeting) { try $0.join(.alice, at: .t(3), grace: .grace) }
    }

    @Test func removingANonParticipantIsNotFound() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notFound, &meeting) { try $0.remove("zed", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.leave(.bob, at: .t(1)) }
        expectRefusal(.notFound, &meeting) { try $0.remove("bob", by: .alice, at: .t(2)) }
    }

    /// Contract §4: a removed host is demoted first, `409` if they are the last host; the only
    /// way to be the last host and be removed is to remove oneself.
    @Test func aHostRemovingThemselfIsDemotedFirstUnlessLast() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.conflict, &meeting) { try $0.remove("alice", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(2)) }
        let events = try act(&meeting) { try $0.remove("alice", by: .alice, at: .t(3)) }
        #expect(events.map(\.name.rawValue) == ["meeting:host-demoted", "meeting:participant-left"])
        #expect(meeting.hosts == ["bob"])
        #expect(meeting.isRemoved("alice"))
    }

    @Test func removeTakesTheUsersSocketsOutOfTheRoom() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol], online: ["alice", "bob", "carol"])
        try act(&meeting) { try $0.subscribe(socketId: "s-bob-2", userId: "bob", at: .t(1)) }
        let events = try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(2)) }
        #expect(events.map(\.name.rawValue) == ["meeting:participant-left"])
        #expect(meeting.subscriptions.map(\.socketId) == ["s-alice", "s-carol"])
        #expect(!meeting.isOnline("bob"))
    }

    @Test func removedUsersAreKeptSorted() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .carol, .bob])
        try act(&meeting) { try $0.remove("carol", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(2)) }
        #expect(meeting.removed == ["bob", "carol"])
    }

    // MARK: readmit

    @Test func aRemovedUserJoinsAgainOnlyAfterReadmit() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(1)) }
        expectRefusal(.removed, &meeting) { try $0.join(.bob, at: .t(2), grace: .grace) }

        try meeting.readmit("bob", by: .alice)
        #expect(!meeting.isRemoved("bob"))

        let events = try act(&meeting) { try $0.join(.bob, at: .t(3), grace: .grace) }
        #expect(events.map(\.name.rawValue) == ["meeting:participant-joined"])
        #expect(meeting.isParticipant("bob"))
    }

    @Test func readmitEmitsNothingAndDoesNotBumpSeq() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.remove("carol", by: .alice, at: .t(2)) }
        let before = meeting
        try meeting.readmit("bob", by: .alice)
        #expect(meeting.seq == before.seq)
        #expect(meeting.removed == ["carol"])
        var expected = before
        expected.removed = ["carol"]
        #expect(meeting == expected, "readmit changes only the removed list")
    }

    @Test func readmittingSomeoneWhoWasNotRemovedChangesNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let before = meeting
        try meeting.readmit("bob", by: .alice)
        try meeting.readmit("zed", by: .alice)
        #expect(meeting == before)
    }

    @Test func onlyAHostReadmits() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.remove("carol", by: .alice, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.readmit("carol", by: .bob) }
        expectRefusal(.notHost, &meeting) { try $0.readmit("carol", by: .carol) }
        #expect(meeting.isRemoved("carol"))
    }

    @Test func aReadmittedUserStillNeedsTheMeetingUnlocked() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.remove("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.lock(by: .alice, at: .t(2)) }
        try meeting.readmit("bob", by: .alice)
        expectRefusal(.meetingLocked, &meeting) { try $0.join(.bob, at: .t(3), grace: .grace) }
    }
}
