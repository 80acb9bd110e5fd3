import Foundation
@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// `--announce`: which notices are said, how, and the rate limit with folding, on a clock the
/// tests move by hand.
@Suite struct AnnouncerTests {
    /// The notices of `messages` applied to a meeting of alice (host) and bob, from seq 1.
    func notices(_ messages: [ClientMessage]) -> [RoomNotice] {
        var model = connectedModel(snapshot: snapshot(seq: 0) { $0.participants = [.alice, .bob] })
        return messages.flatMap { model.update($0).notices }
    }

    func joined(_ userId: String, seq: Int, at seconds: Int = 0) -> ClientMessage {
        roomEvent("meeting:participant-joined", seq: seq, at: seconds,
                  [("participant", Person(userId: userId, name: userId.capitalized, joinedAt: seconds).json)])
    }

    func left(_ userId: String, seq: Int, reason: String = "left", by: String? = nil) -> ClientMessage {
        roomEvent("meeting:participant-left", seq: seq, [("userId", .string(userId)), ("reason", .string(reason))] + (by.map { [("by", .string($0))] } ?? []))
    }

    func at(_ milliseconds: Int64) -> Timestamp { Timestamp(milliseconds: Fixture.start.milliseconds + milliseconds) }

    @Test func sentencesAreTheActivityPanes() {
        let said = notices([
            handRaised("bob", seq: 1),
            roomEvent("meeting:locked", seq: 2, [("by", "alice")]),
            roomEvent("meeting:message", seq: 3, [("message", messageJSON(id: "m", userId: "bob", name: "Bob", text: "Hi\nall"))]),
        ]).compactMap(Announcer.sentence(for:))
        #expect(said == ["Bob raised a hand (#1)", "Alice locked the meeting", "Bob says: Hi all"])
    }

    @Test func onlyTheChosenCategoriesAreSaid() {
        let all = notices([handRaised("bob", seq: 1), joined("carol", seq: 2), roomEvent("meeting:locked", seq: 3, [("by", "alice")])])
        var hands = Announcer(categories: [.hands])
        #expect(all.flatMap { hands.receive($0, now: at(0)) } == ["Bob raised a hand (#1)"])
        var quiet = Announcer(categories: [])
        #expect(all.flatMap { quiet.receive($0, now: at(0)) } == [])
        var everything = Announcer(categories: Set(AnnounceCategory.allCases))
        #expect(all.flatMap { everything.receive($0, now: at(0)) } == ["Bob raised a hand (#1)", "Carol joined", "Alice locked the meeting"])
    }

    @Test func manyJoinsAtOnceAreFoldedIntoACount() {
        var announcer = Announcer(categories: [.joins])
        let joins = notices((1...13).map { joined("user\($0)", seq: $0) })
        var said: [String] = []
        for (index, notice) in joins.enumerated() { said += announcer.receive(notice, now: at(Int64(index) * 10)) }
        #expect(said == ["User1 joined"])
        #expect(announcer.tick(at(1_999)) == [])
        #expect(announcer.tick(at(2_000)) == ["and 12 more joined"])
        // The fold started a new interval: the next join waits for it.
        let late = notices((1...14).map { joined("user\($0)", seq: $0) })[13]
        #expect(announcer.receive(late, now: at(2_500)) == [])
        #expect(announcer.tick(at(3_999)) == [])
        #expect(announcer.tick(at(4_000)) == ["User14 joined"])
        // Quiet for a while: the next one is said at once.
        #expect(announcer.tick(at(6_000)) == [])
        let again = notices([left("bob", seq: 1)])[0]
        #expect(announcer.receive(again, now: at(9_000)) == ["Bob left"])
    }

    @Test func aFoldCountsEachKind() {
        var announcer = Announcer(categories: [.joins])
        let events = notices([joined("carol", seq: 1), joined("dave", seq: 2), joined("erin", seq: 3), left("bob", seq: 4), joined("finn", seq: 5)])
        var said: [String] = []
        for notice in events { said += announcer.receive(notice, now: at(0)) }
        said += announcer.tick(at(2_000))
        #expect(said == ["Carol joined", "and 3 more joined, 1 left"])
    }

    @Test func categoriesHaveTheirOwnIntervals() {
        var announcer = Announcer(categories: [.hands, .joins])
        let events = notices([handRaised("bob", seq: 1), joined("carol", seq: 2), handRaised("carol", seq: 3, position: 2), joined("dave", seq: 4)])
        let said = events.flatMap { announcer.receive($0, now: at(100)) }
        #expect(said == ["Bob raised a hand (#1)", "Carol joined"])
        // One folded event is said as itself.
        #expect(announcer.tick(at(2_100)) == ["Carol raised a hand (#2)", "Dave joined"])
    }

    @Test func aFoldThatIsDueGoesBeforeTheNextEventWithoutATick() {
        var announcer = Announcer(categories: [.hands])
        let events = notices([handRaised("bob", seq: 1), handRaised("alice", seq: 2, position: 2), roomEvent("meeting:hand-lowered", seq: 3, [("userId", "bob"), ("by", "bob")])])
        #expect(announcer.receive(events[0], now: at(0)) == ["Bob raised a hand (#1)"])
        #expect(announcer.receive(events[1], now: at(500)) == [])
        #expect(announcer.receive(events[2], now: at(5_000)) == ["Alice raised a hand (#2)"])
        #expect(announcer.tick(at(7_000)) == ["Bob lowered their hand"])
    }

    @Test func theEndIsSaidAtOnceAfterWhatWasFolded() {
        var announcer = Announcer(categories: [.host, .joins])
        let events = notices([joined("carol", seq: 1), joined("dave", seq: 2), joined("erin", seq: 3), roomEvent("meeting:ended", seq: 4, [("by", "alice")])])
        let said = events.flatMap { announcer.receive($0, now: at(0)) }
        #expect(said == ["Carol joined", "and 2 more joined", "Alice ended the meeting"])
        #expect(announcer.flush() == [])
    }

    @Test func flushSaysEverythingStillFolded() {
        var announcer = Announcer(categories: [.chat])
        let chat = notices((1...3).map {
            roomEvent("meeting:message", seq: $0, [("message", messageJSON(id: "m\($0)", userId: "bob", name: "Bob", text: "n\($0)"))])
        })
        #expect(chat.flatMap { announcer.receive($0, now: at(0)) } == ["Bob says: n1"])
        #expect(announcer.flush() == ["and 2 more messages"])
        #expect(announcer.flush() == [])
    }

    @Test func removalsAreHostNewsAndPresenceRightAfterJoiningIsNot() {
        let events = notices([
            left("bob", seq: 1, reason: "removed", by: "alice"),
            joined("carol", seq: 2, at: 0),
            roomEvent("meeting:presence-updated", seq: 3, at: 1, [("userId", "carol"), ("online", true)]),
            roomEvent("meeting:presence-updated", seq: 4, at: 60, [("userId", "carol"), ("online", false)]),
        ])
        #expect(events.map(AnnounceCategory.of) == [.host, .joins, .joins, .joins])
        var announcer = Announcer(categories: [.joins], interval: .zero)
        #expect(events.flatMap { announcer.receive($0, now: at(0)) } == ["Carol joined", "Carol went offline"])
    }

    @Test func connectionLossAndReturn() {
        var announcer = Announcer(categories: [])
        #expect(announcer.connection(.connecting) == [])
        #expect(announcer.connection(.connected(transport: "websocket")) == [])
        #expect(announcer.connection(.reconnecting(attempt: 1, nextInMilliseconds: 1000)) == ["Connection lost; reconnecting."])
        #expect(announcer.connection(.reconnecting(attempt: 2, nextInMilliseconds: 2000)) == [])
        #expect(announcer.connection(.connected(transport: "polling")) == ["Reconnected."])
        #expect(announcer.connection(.offline(reason: "io server disconnect")) == ["Connection lost (io server disconnect)."])
    }

    @Test func theWelcome() throws {
        let room = try RoomState(snapshot: snapshotJSON(seq: 4) {
            $0.participants = [.alice, .bob, .carol]
            $0.hands = [("bob", 0)]
            $0.locked = true
        })
        #expect(Announcer.welcome(to: room, me: "alice") == "You joined Weekly sync with 2 others, 1 hand raised, locked.")
        let alone = try RoomState(snapshot: snapshotJSON { $0.participants = [.alice] })
        #expect(Announcer.welcome(to: alone, me: "alice") == "You joined Weekly sync with nobody else.")
    }

    @Test func theSessionEndsWhenYouAreGone() {
        let events = notices([
            left("alice", seq: 1, reason: "removed", by: "bob"),
        ])
        #expect(AnnounceSession.lastWords(events[0], me: "alice") == "You were removed from the meeting by Bob.")
        #expect(AnnounceSession.lastWords(events[0], me: "carol") == nil)
        let ended = notices([roomEvent("meeting:ended", seq: 1, [("by", "bob")])])
        #expect(AnnounceSession.lastWords(ended[0], me: "alice") == "Bob ended the meeting")
    }
}
