@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// The host's `n` (next speaker), `/` (the roster's filter), PgUp/PgDn (the activity), remapped
/// keys, the stale age, and the notices that hooks, announcements and the log are fed.
@Suite struct ClientModelRosterTests {
    func model(me: String = "alice", keys: KeyMap = KeyMap(), _ configure: (inout SnapshotBuilder) -> Void = { _ in }) -> ClientModel {
        let json = snapshot(seq: 1) { room in
            room.participants = [.alice, .bob, .carol, .dave]
            configure(&room)
        }
        return connectedModel(me: me, options: ClientModel.Options(keys: keys), snapshot: json)
    }

    // MARK: Next speaker

    @Test func nextSpeakerLowersTheFirstHandAndSelectsTheNext() {
        var m = model { $0.hands = [(userId: "carol", raisedAt: 0), (userId: "bob", raisedAt: 5)] }
        let effects = m.hit(.character("n"))
        #expect(effects.ignoringNotices == [.perform(.lowerHand(userId: "carol"))])
        #expect(m.selected == "bob")
        #expect(m.status?.text == "Carol has spoken; next: Bob.")
    }

    @Test func nextSpeakerWithOneHandOrNone() {
        var one = model { $0.hands = [(userId: "dave", raisedAt: 0)] }
        #expect(one.hit(.character("n")).ignoringNotices == [.perform(.lowerHand(userId: "dave"))])
        #expect(one.status?.text == "Dave has spoken; no more hands.")
        var none = model()
        #expect(none.hit(.character("n")).ignoringNotices.isEmpty)
        #expect(none.status?.text == "No hands are raised.")
    }

    @Test func nextSpeakerIsAHostKey() {
        var bob = model(me: "bob") { $0.hands = [(userId: "carol", raisedAt: 0)] }
        #expect(bob.hit(.character("n")).ignoringNotices.isEmpty)
        #expect(bob.status?.isError == true)
    }

    // MARK: Filter

    @Test func slashFiltersTheRosterAsTyped() {
        var m = model()
        m.hit(.character("/"))
        m.typeText("ca")
        #expect(m.visibleParticipants.map(\.userId) == ["carol"])
        #expect(m.selected == "carol")
        m.hit(.enter)
        #expect(m.filter == "ca")
        #expect(m.visibleParticipants.map(\.userId) == ["carol"])
        // j/k walk the filtered list only.
        m.hit(.character("j"))
        #expect(m.selected == "carol")
        // Esc in the normal mode clears it.
        m.hit(.escape)
        #expect(m.filter.isEmpty)
        #expect(m.visibleParticipants.count == 4)
    }

    @Test func escapeWhileTypingClearsTheFilter() {
        var m = model()
        m.hit(.character("/"))
        m.typeText("D")
        #expect(m.visibleParticipants.map(\.userId) == ["dave"])
        m.hit(.escape)
        #expect(m.filter.isEmpty && m.mode == .normal)
        #expect(m.visibleParticipants.count == 4)
    }

    @Test func aFilterThatMatchesNoOneSaysSo() {
        var m = model()
        m.hit(.character("/"))
        m.typeText("zed")
        m.hit(.enter)
        #expect(m.visibleParticipants.isEmpty)
        #expect(m.status?.isError == true)
        // Nobody hidden stays selected: a host key has no one to act on.
        #expect(m.selected == nil)
        #expect(m.hit(.character("p")).ignoringNotices.isEmpty)
    }

    // MARK: Activity scroll

    @Test func pageUpAndDownScrollTheActivityAndStayOnWhatIsRead() {
        var m = model()
        _ = m.update(.viewport(activityRows: 10))
        for seq in 2...31 { _ = m.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        #expect(m.activity.count == 30)
        m.hit(.pageUp)
        #expect(m.activityScroll == 10)
        m.hit(.pageUp, .pageUp, .pageUp)
        // The oldest line at the top of the pane: 10 rows, one of them saying what is below.
        #expect(m.activityScroll == 21, "never past a full pane of the oldest lines")
        m.hit(.pageDown)
        #expect(m.activityScroll == 11)
        _ = m.update(roomEvent("meeting:locked", seq: 32, [("by", "alice")]))
        #expect(m.activityScroll == 12, "a new line keeps the view where it was")
        m.hit(.pageDown, .pageDown, .pageDown)
        #expect(m.activityScroll == 0)
    }

    @Test func whenTheActivityFitsPageUpDoesNothing() {
        var m = model()
        _ = m.update(.viewport(activityRows: 20))
        for seq in 2...16 { _ = m.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        m.hit(.pageUp)
        #expect(m.activityScroll == 0)
        // Later lines are not hidden behind a scroll nobody saw.
        for seq in 17...30 { _ = m.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        #expect(m.activityScroll == 0)
    }

    @Test func aSmallerPaneBringsTheScrollWithinIt() {
        var m = model()
        _ = m.update(.viewport(activityRows: 5))
        for seq in 2...31 { _ = m.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        m.hit(.pageUp, .pageUp, .pageUp)
        #expect(m.activityScroll == 26)
        _ = m.update(.viewport(activityRows: 20))
        #expect(m.activityScroll == 11)
    }

    // MARK: Keys

    @Test func remappedKeysAct() throws {
        let keys = try KeyMap(bindings: ["hand": "H", "lock": "l"])
        var m = model(keys: keys)
        #expect(m.hit(.character("H")).ignoringNotices == [.perform(.raiseHand)])
        #expect(m.hit(.character("h")).ignoringNotices.isEmpty, "the old key does nothing")
        #expect(m.hit(.character("l")).ignoringNotices == [.perform(.lock)])
    }

    // MARK: Stale age

    @Test func staleSinceFollowsTheConnection() {
        var m = model()
        #expect(!m.stale && m.staleSince == nil)
        _ = m.update(.tick(Fixture.time(10)))
        _ = m.update(.connection(.offline(reason: "transport close")))
        #expect(m.stale && m.staleSince == Fixture.time(10))
        _ = m.update(.tick(Fixture.time(22)))
        let grid = render(m)
        #expect(grid.lines[22].contains("stale 12s"), "\(grid.lines[22])")
    }

    // MARK: Notices

    @Test func everyAppliedEventIsNoticedOnceWithItsFields() {
        var m = model { $0.hands = [(userId: "carol", raisedAt: 0)] }
        let effects = m.update(handRaised("bob", seq: 2, position: 2))
        #expect(effects.notices.count == 1)
        let notice = effects.notices[0]
        #expect(notice.name == "hand_raised" && notice.event.name == .handRaised)
        #expect(notice.fields["who"] == "Bob" && notice.fields["position"] == "2" && notice.fields["seq"] == "2")
        #expect(notice.text == "Bob raised a hand (#2)")
        // The same seq again is not news.
        #expect(m.update(handRaised("bob", seq: 2, position: 2)).notices.isEmpty)
    }

    @Test func theConfigNameOfAWireName() {
        #expect(EventName.participantJoined.configName == "participant_joined")
        #expect(EventName.musicVolumeUpdated.configName == "music_volume_updated")
    }
}
