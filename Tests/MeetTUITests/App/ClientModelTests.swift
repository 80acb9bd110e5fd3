@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// The reducer: snapshots, `seq`-ordered events, gaps, reconnects and what they ask the runtime.
@Suite struct ClientModelTests {
    /// alice (host), bob and carol, at `seq`.
    func threePeople(seq: Int = 3, _ configure: (inout SnapshotBuilder) -> Void = { _ in }) -> MeetingState {
        snapshot(seq: seq) { room in
            room.participants = [.alice, .bob, .carol]
            configure(&room)
        }
    }

    func locked(seq: Int, at seconds: Int = 0) -> ClientMessage {
        roomEvent("meeting:locked", seq: seq, at: seconds, [("by", "alice")])
    }

    // MARK: Snapshot and events in order

    @Test func aSnapshotThenEventsInOrder() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        #expect(model.room?.seq == 3)
        #expect(!model.stale)
        #expect(model.activity.isEmpty)

        let first = model.update(locked(seq: 4, at: 10))
        #expect(first.ignoringNotices.isEmpty)
        let second = model.update(handRaised("bob", seq: 5, at: 20))
        #expect(second.ignoringNotices == [.bell])
        let third = model.update(roomEvent("meeting:unlocked", seq: 6, at: 30, [("by", "alice")]))
        #expect(third.ignoringNotices.isEmpty)

        #expect(model.room?.seq == 6)
        #expect(model.room?.locked == false)
        #expect(model.room?.hands.map(\.userId) == ["bob"])
        #expect(model.activity.map(\.text) == ["Alice locked the meeting", "Bob raised a hand (#1)", "Alice unlocked the meeting"])
        #expect(model.activity.map(\.at) == [Fixture.time(10), Fixture.time(20), Fixture.time(30)])
        #expect(!model.stale)
    }

    @Test func duplicatesAreIgnored() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        // Already in the snapshot.
        let old = model.update(locked(seq: 3))
        let older = model.update(locked(seq: 1))
        #expect(old.ignoringNotices.isEmpty)
        #expect(older.ignoringNotices.isEmpty)
        #expect(model.room?.locked == false)
        #expect(model.activity.isEmpty)

        _ = model.update(handRaised("bob", seq: 4, at: 10))
        let again = model.update(handRaised("bob", seq: 4, at: 10))
        #expect(again.ignoringNotices.isEmpty)
        #expect(model.room?.seq == 4)
        #expect(model.activity.map(\.text) == ["Bob raised a hand (#1)"])
        #expect(!model.stale)
    }

    // MARK: Gaps

    @Test func aGapFetchesASnapshotAndAppliesWhatIsNewer() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        // seq 4 never came.
        let gap = model.update(handRaised("bob", seq: 5, at: 20, position: 1))
        #expect(gap.ignoringNotices == [.fetchSnapshot])
        #expect(model.stale)
        #expect(model.room?.seq == 3, "nothing applied past the gap")
        #expect(model.room?.hands.isEmpty == true)
        #expect(model.activity.isEmpty)

        // Events keep coming while the snapshot is on its way: they wait for it.
        let waiting = model.update(handRaised("carol", seq: 6, at: 30, position: 2))
        #expect(waiting.ignoringNotices.isEmpty)
        #expect(model.room?.seq == 3)

        // The snapshot has 4 and 5; 6 is applied after it, 5 is not applied twice.
        let fresh = threePeople(seq: 5) { room in
            room.locked = true
            room.hands = [(userId: "bob", raisedAt: 20)]
        }
        let effects = model.update(.snapshot(fresh))
        #expect(effects.ignoringNotices == [.bell], "carol's hand is news to the host")
        #expect(model.room?.seq == 6)
        #expect(model.room?.locked == true)
        #expect(model.room?.hands.map(\.userId) == ["bob", "carol"])
        #expect(model.activity.map(\.text) == ["Carol raised a hand (#2)"])
        #expect(!model.stale)

        // And the stream goes on.
        _ = model.update(roomEvent("meeting:unlocked", seq: 7, [("by", "alice")]))
        #expect(model.room?.seq == 7)
    }

    @Test func aSnapshotNewerThanEverythingBufferedDropsIt() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        let gap = model.update(locked(seq: 5))
        #expect(gap.ignoringNotices == [.fetchSnapshot])
        _ = model.update(roomEvent("meeting:unlocked", seq: 6, [("by", "alice")]))
        let effects = model.update(.snapshot(threePeople(seq: 9) { $0.title = "Renamed" }))
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.room?.seq == 9)
        #expect(model.room?.title == "Renamed")
        #expect(model.room?.locked == false)
        #expect(model.activity.isEmpty)
        #expect(!model.stale)
    }

    @Test func anEventThatCannotBeReadFetchesASnapshot() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        let broken = model.update(roomEvent("meeting:confetti", seq: 4))
        #expect(broken.ignoringNotices == [.fetchSnapshot])
        #expect(model.room?.seq == 3)
        #expect(model.stale)
        #expect(model.status?.text.hasPrefix("The server sent an event this client cannot read") == true)
        // Later events wait for the snapshot.
        let later = model.update(locked(seq: 5))
        #expect(later.ignoringNotices.isEmpty)
        _ = model.update(.snapshot(threePeople(seq: 4)))
        #expect(model.room?.seq == 5)
        #expect(model.room?.locked == true)
    }

    // MARK: Before the first snapshot

    @Test func eventsBeforeTheFirstSnapshotAreBufferedThenApplied() {
        var model = ClientModel(me: "alice", meetingId: "m1", now: Fixture.start)
        _ = model.update(.connection(.connected(transport: "websocket")))
        // Out of order, and one the snapshot already has.
        let early = model.update(handRaised("carol", seq: 5, at: 20, position: 2))
        let earlier = model.update(handRaised("bob", seq: 4, at: 10, position: 1))
        let stale = model.update(locked(seq: 3))
        #expect(early.ignoringNotices.isEmpty && earlier.isEmpty && stale.isEmpty)
        #expect(model.room == nil)

        let effects = model.update(.snapshot(threePeople(seq: 3)))
        #expect(effects.ignoringNotices == [.bell, .bell])
        #expect(model.room?.seq == 5)
        #expect(model.room?.locked == false, "seq 3 is in the snapshot already")
        #expect(model.room?.hands.map(\.userId) == ["bob", "carol"])
        #expect(model.activity.map(\.text) == ["Bob raised a hand (#1)", "Carol raised a hand (#2)"])
    }

    @Test func aBufferedEventPastAGapFetchesAgain() {
        var model = ClientModel(me: "alice", meetingId: "m1", now: Fixture.start)
        _ = model.update(.connection(.connected(transport: "websocket")))
        _ = model.update(locked(seq: 6))
        let effects = model.update(.snapshot(threePeople(seq: 3)))
        #expect(effects.ignoringNotices == [.fetchSnapshot])
        #expect(model.stale)
        #expect(model.room?.seq == 3)
    }

    @Test func aSnapshotWhileNotConnectedIsStale() {
        var model = ClientModel(me: "alice", meetingId: "m1", now: Fixture.start)
        #expect(model.stale)
        _ = model.update(.snapshot(threePeople()))
        #expect(model.room != nil)
        #expect(model.stale, "still connecting")
    }

    @Test func reconnectingRejoinsAndTheNextSnapshotClearsStale() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        #expect(!model.stale)

        let down = model.update(.connection(.offline(reason: "network is unreachable")))
        #expect(down.ignoringNotices.isEmpty)
        #expect(model.stale)
        #expect(model.connection == .offline(reason: "network is unreachable"))

        let retry = model.update(.connection(.reconnecting(attempt: 1, nextInMilliseconds: 2000)))
        #expect(retry.ignoringNotices.isEmpty)
        #expect(model.stale)

        let back = model.update(.connection(.connected(transport: "websocket")))
        #expect(back.ignoringNotices == [.joinRoom])
        #expect(model.stale, "until the snapshot comes")

        // An event that comes before the snapshot waits for it.
        let early = model.update(locked(seq: 5))
        #expect(early.ignoringNotices.isEmpty)
        #expect(model.room?.locked == false)

        let effects = model.update(.snapshot(threePeople(seq: 4)))
        #expect(effects.ignoringNotices.isEmpty)
        #expect(!model.stale)
        #expect(model.room?.seq == 5)
        #expect(model.room?.locked == true)
    }

    /// With connection state recovery, the events missed while offline come before the
    /// `recovered` notice: they are applied at once, with no snapshot awaited.
    @Test func aRecoveredReconnectAppliesTheMissedEventsWithoutASnapshot() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        _ = model.update(.connection(.offline(reason: "transport close")))
        #expect(model.update(.connection(.connected(transport: "websocket"))) == [.joinRoom])
        #expect(model.update(locked(seq: 4)).isEmpty)
        #expect(model.update(roomEvent("meeting:unlocked", seq: 5, [("by", "alice")])).isEmpty)
        #expect(model.room?.seq == 3, "held until the server says whether the socket was recovered")

        #expect(model.update(.recovered).ignoringNotices.isEmpty, "no snapshot fetched")
        #expect(model.room?.seq == 5)
        #expect(model.room?.locked == false)
        #expect(!model.stale)
        // Later events apply directly; the re-join's snapshot, overtaken by one, is older than
        // the room and changes nothing.
        #expect(model.update(locked(seq: 6)).ignoringNotices.isEmpty)
        #expect(model.room?.locked == true)
        #expect(model.update(.snapshot(threePeople(seq: 5))).isEmpty)
        #expect(model.room?.seq == 6)
        #expect(model.room?.locked == true)
    }

    @Test func aRecoveredReconnectWithAGapStillFetchesASnapshot() {
        var model = connectedModel(snapshot: threePeople(seq: 3))
        _ = model.update(.connection(.offline(reason: "transport close")))
        _ = model.update(.connection(.connected(transport: "websocket")))
        _ = model.update(locked(seq: 5))
        #expect(model.update(.recovered) == [.fetchSnapshot])
        #expect(model.stale)
        #expect(model.room?.seq == 3)
    }

    @Test func theFirstConnectionAndAnUpgradeDoNotRejoin() {
        var model = ClientModel(me: "alice", meetingId: "m1", now: Fixture.start)
        // No room yet: `meeting:join` is the runtime's first step anyway.
        let first = model.update(.connection(.connected(transport: "polling")))
        #expect(first.ignoringNotices.isEmpty)
        _ = model.update(.snapshot(threePeople()))
        // Polling upgraded to WebSocket: still connected.
        let upgraded = model.update(.connection(.connected(transport: "websocket")))
        #expect(upgraded.ignoringNotices.isEmpty)
        #expect(!model.stale)
        #expect(model.connection == .connected(transport: "websocket"))
    }

    // MARK: The bell

    @Test func theBellRingsForAHostWhenSomeoneElseRaisesAHand() {
        var model = connectedModel(snapshot: threePeople())
        #expect(model.isHost)
        let bob = model.update(handRaised("bob", seq: 4))
        #expect(bob.ignoringNotices == [.bell])
        // Raising a raised hand again is not news.
        let bobAgain = model.update(handRaised("bob", seq: 5))
        #expect(bobAgain.ignoringNotices.isEmpty)
        // Nor is your own.
        let mine = model.update(handRaised("alice", seq: 6))
        #expect(mine.ignoringNotices.isEmpty)
        let carol = model.update(handRaised("carol", seq: 7))
        #expect(carol.ignoringNotices == [.bell])
    }

    @Test func noBellWhenTurnedOff() {
        var model = connectedModel(options: ClientModel.Options(bell: false), snapshot: threePeople())
        let effects = model.update(handRaised("bob", seq: 4))
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.room?.hands.map(\.userId) == ["bob"])
    }

    @Test func noBellForParticipants() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        #expect(!model.isHost)
        let carol = model.update(handRaised("carol", seq: 4))
        #expect(carol.ignoringNotices.isEmpty)
        // Made a host: now it rings.
        _ = model.update(roomEvent("meeting:host-promoted", seq: 5, [("userId", "bob"), ("by", "alice")]))
        #expect(model.isHost)
        let alice = model.update(handRaised("alice", seq: 6))
        #expect(alice.ignoringNotices == [.bell])
    }

    // MARK: Leaving and ending

    @Test func beingRemovedSaysSo() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        let effects = model.update(roomEvent("meeting:participant-left", seq: 4, [("userId", "bob"), ("reason", "removed"), ("by", "alice")]))
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.room?.participant("bob") == nil)
        #expect(model.status?.text == "A host removed you from the meeting. Press q to quit.")
        #expect(model.status?.isError == true)
        #expect(model.activity.last?.kind == .alert)
    }

    @Test func timingOutSaysSo() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        _ = model.update(roomEvent("meeting:participant-left", seq: 4, [("userId", "bob"), ("reason", "timeout")]))
        #expect(model.status?.text == "You were offline too long and left the meeting. Press q to quit.")
        #expect(model.status?.isError == true)
    }

    @Test func leavingSaysSo() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        _ = model.update(roomEvent("meeting:participant-left", seq: 4, [("userId", "bob"), ("reason", "left")]))
        #expect(model.status?.text == "You left the meeting.")
        #expect(model.status?.isError == false)
    }

    @Test func someoneElseLeavingSaysNothing() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        _ = model.update(roomEvent("meeting:participant-left", seq: 4, [("userId", "carol"), ("reason", "left")]))
        #expect(model.status?.text == nil)
        #expect(model.activity.map(\.text) == ["Carol left"])
    }

    @Test func theMeetingEndingSaysSo() {
        var model = connectedModel(me: "bob", snapshot: threePeople())
        _ = model.update(roomEvent("meeting:ended", seq: 4, [("by", "alice")]))
        #expect(model.room?.ended == true)
        #expect(model.status?.text == "The meeting has ended. Press q to quit.")
        #expect(model.status?.isError == true)
    }

    // MARK: The participant list

    @Test func orderedParticipants() {
        let json = snapshot(seq: 3) { room in
            room.participants = [
                Person(userId: "frank", name: "Frank"),
                Person(userId: "zed", name: "Zed", host: true),
                .bob,
                .carol,
                Person(userId: "amy", name: "amy"),
                .dave,
                .alice,
                Person(userId: "erin", name: "Erin"),
            ]
            // zed is a host, carol is me: both keep their place above the queue.
            room.hands = [(userId: "zed", raisedAt: 1), (userId: "dave", raisedAt: 2), (userId: "carol", raisedAt: 3), (userId: "bob", raisedAt: 4)]
        }
        let model = connectedModel(me: "carol", snapshot: json)
        // Me, hosts A–Z, raised hands in queue order, the others A–Z (case-insensitive).
        #expect(model.orderedParticipants.map(\.userId) == ["carol", "alice", "zed", "dave", "bob", "amy", "erin", "frank"])
    }

    @Test func theSelectionStartsOnMeAndSurvivesLeaving() {
        var model = connectedModel(snapshot: threePeople())
        #expect(model.selected == "alice")
        model.hit(.character("j"))
        #expect(model.selected == "bob")
        _ = model.update(roomEvent("meeting:participant-left", seq: 4, [("userId", "bob"), ("reason", "left")]))
        #expect(model.selected == "alice", "the selection moves back to the top")
    }

    // MARK: Other messages

    @Test func otherMessages() {
        var model = connectedModel(snapshot: threePeople())
        let tick = model.update(.tick(Fixture.time(90)))
        #expect(tick.ignoringNotices.isEmpty)
        #expect(model.now == Fixture.time(90))
        let rtt = model.update(.roundTrip(milliseconds: 42))
        #expect(rtt.ignoringNotices.isEmpty)
        #expect(model.roundTrip == 42)
        let failed = model.update(.failed("Too many requests; try again in a second."))
        #expect(failed.ignoringNotices.isEmpty)
        #expect(model.status?.text == "Too many requests; try again in a second.")
        #expect(model.status?.isError == true)
        let done = model.update(.done(.raiseHand))
        #expect(done.ignoringNotices.isEmpty)
        let left = model.update(.done(.leave))
        #expect(left.ignoringNotices == [.quit(leave: false)])
    }

    @Test func theActivityLogKeepsTheLast500() {
        var model = connectedModel(snapshot: threePeople(seq: 0))
        for seq in 1...(ClientModel.activityKept + 1) {
            _ = model.update(roomEvent(seq % 2 == 1 ? "meeting:locked" : "meeting:unlocked", seq: seq, at: seq, [("by", "alice")]))
        }
        #expect(model.activity.count == ClientModel.activityKept)
        #expect(model.activity.first?.at == Fixture.time(2))
        #expect(model.activity.first?.text == "Alice unlocked the meeting")
        #expect(model.room?.seq == Int64(ClientModel.activityKept + 1))
    }
}
