import MeetingsContract
@testable import MeetingsServer
import Testing

/// The hand queue (meetings-api §3 `hands`, §4 hand/raise, hand/lower, hands/lower-all).
@Suite struct MeetingHandsTests {
    @Test func raiseEmitsHandRaisedWithThePosition() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let events = try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.handRaised(userId: "bob", raisedAt: .t(1), position: 1)]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hands == [Hand(userId: "bob", raisedAt: .t(1))])
        #expect(meeting.handPosition("bob") == 1)
    }

    @Test func raiseIsIdempotent() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        #expect(meeting.hands.first?.raisedAt == Timestamp.t(1), "the first raise keeps its place")
    }

    @Test func onlyParticipantsRaise() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &meeting) { try $0.raiseHand(.zed, at: .t(1)) }
        // alice is a host but has not joined.
        expectRefusal(.notParticipant, &meeting) { try $0.raiseHand(.alice, at: .t(1)) }
    }

    @Test func positionsFollowTheOrderOfTheRaises() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol, .dave])
        let carol = try act(&meeting) { try $0.raiseHand(.carol, at: .t(1)) }
        let alice = try act(&meeting) { try $0.raiseHand(.alice, at: .t(2)) }
        let bob = try act(&meeting) { try $0.raiseHand(.bob, at: .t(3)) }
        let expected: [MeetingEvent.Kind] = [
            .handRaised(userId: "carol", raisedAt: .t(1), position: 1),
            .handRaised(userId: "alice", raisedAt: .t(2), position: 2),
            .handRaised(userId: "bob", raisedAt: .t(3), position: 3),
        ]
        #expect((carol + alice + bob).map(\.kind) == expected)
        #expect(meeting.hands.map(\.userId) == ["carol", "alice", "bob"])
        #expect(meeting.handPosition("carol") == 1)
        #expect(meeting.handPosition("alice") == 2)
        #expect(meeting.handPosition("bob") == 3)
        #expect(meeting.handPosition("dave") == nil)

        // Lowering moves those behind up; a new raise goes to the end.
        try act(&meeting) { try $0.lowerHand(by: .carol, at: .t(4)) }
        #expect(meeting.handPosition("alice") == 1)
        #expect(meeting.handPosition("bob") == 2)
        let carolAgain = try act(&meeting) { try $0.raiseHand(.carol, at: .t(5)) }
        let expectedAgain: [MeetingEvent.Kind] = [.handRaised(userId: "carol", raisedAt: .t(5), position: 3)]
        #expect(carolAgain.map(\.kind) == expectedAgain)
    }

    @Test func aParticipantLowersTheirOwnHand() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        let events = try act(&meeting) { try $0.lowerHand(by: .bob, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.handLowered(userId: "bob", by: "bob")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hands.isEmpty)
    }

    @Test func namingOneselfIsLoweringOnesOwnHand() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        let events = try act(&meeting) { try $0.lowerHand(of: "bob", by: .bob, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.handLowered(userId: "bob", by: "bob")]
        #expect(events.map(\.kind) == expected)
    }

    @Test func loweringSomeoneElsesHandNeedsAHost() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.lowerHand(of: "bob", by: .carol, at: .t(2)) }
        let events = try act(&meeting) { try $0.lowerHand(of: "bob", by: .alice, at: .t(3)) }
        let expected: [MeetingEvent.Kind] = [.handLowered(userId: "bob", by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.hands.isEmpty)
    }

    @Test func aHostWhoHasNotJoinedLowersHands() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(1)) }
        let events = try act(&meeting) { try $0.lowerHand(of: "bob", by: .alice, at: .t(2)) }
        #expect(events.map(\.name.rawValue) == ["meeting:hand-lowered"])
    }

    @Test func loweringALoweredHandEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try expectNoOp(&meeting) { try $0.lowerHand(by: .bob, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.lowerHand(of: "bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        try act(&meeting) { try $0.lowerHand(by: .bob, at: .t(3)) }
        try expectNoOp(&meeting) { try $0.lowerHand(by: .bob, at: .t(4)) }
        // Lowering one's own hand is for participants: a host who has not joined is told so.
        var fresh = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &fresh) { try $0.lowerHand(by: .alice, at: .t(1)) }
    }

    @Test func loweringTheHandOfSomeoneWhoIsNoParticipantIsNotFound() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notFound, &meeting) { try $0.lowerHand(of: "zed", by: .alice, at: .t(1)) }
    }

    @Test func onlyParticipantsLowerTheirOwnHand() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notParticipant, &meeting) { try $0.lowerHand(by: .zed, at: .t(1)) }
    }

    @Test func lowerAllLowersEveryHandInQueueOrder() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol, .dave])
        try act(&meeting) { try $0.raiseHand(.dave, at: .t(1)) }
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(3)) }
        let events = try act(&meeting) { try $0.lowerAllHands(by: .alice, at: .t(4)) }
        let expected: [MeetingEvent.Kind] = [
            .handLowered(userId: "dave", by: "alice"),
            .handLowered(userId: "bob", by: "alice"),
            .handLowered(userId: "carol", by: "alice"),
        ]
        #expect(events.map(\.kind) == expected)
        #expect(events.allSatisfy { $0.at == Timestamp.t(4) })
        #expect(meeting.hands.isEmpty)
    }

    @Test func lowerAllWithNoHandEmitsNothing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try expectNoOp(&meeting) { try $0.lowerAllHands(by: .alice, at: .t(1)) }
    }

    @Test func lowerAllNeedsAHost() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.raiseHand(.carol, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.lowerAllHands(by: .bob, at: .t(2)) }
        expectRefusal(.notHost, &meeting) { try $0.lowerAllHands(by: .carol, at: .t(2)) }
    }
}
