@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// `--announce hands,joins`: the words it takes.
@Suite struct AnnounceCategoryTests {
    @Test func parsesListsAllAndNone() throws {
        #expect(try AnnounceCategory.parse("hands,joins") == [.hands, .joins])
        #expect(try AnnounceCategory.parse(" Chat , host ") == [.chat, .host])
        #expect(try AnnounceCategory.parse("hands joins") == [.hands, .joins])
        #expect(try AnnounceCategory.parse("all") == Set(AnnounceCategory.allCases))
        #expect(try AnnounceCategory.parse("none") == [])
        #expect(try AnnounceCategory.parse("") == [])
    }

    @Test func anUnknownWordNamesTheKnownOnes() {
        let error = #expect(throws: AnnounceParseError.self) { try AnnounceCategory.parse("hands,hand") }
        #expect(error?.description == "unknown announce category 'hand' (known: hands, joins, host, chat, all, none)")
    }

    @Test func everyEventHasACategory() {
        let kinds: [MeetingEvent.Kind] = [
            .participantJoined(ParticipantView(userId: "b", name: "B", role: .participant, joinedAt: Fixture.start, online: true)),
            .participantLeft(userId: "b", reason: .left, by: nil), .presenceUpdated(userId: "b", online: true),
            .handRaised(userId: "b", raisedAt: Fixture.start, position: 1), .handLowered(userId: "b", by: "b"),
            .musicStarted(track: "t", volume: 1, by: "a"), .musicStopped(by: "a"), .musicVolumeUpdated(volume: 2, by: "a"),
            .recordingStarted(by: "a", startedAt: Fixture.start), .recordingStopped(by: "a"), .screenshareStarted(userId: "b"),
            .screenshareStopped(userId: "b", by: "b"),
            .resourceShared(Resource(id: "r1", title: "t", url: "https://x.y", sharedBy: "b", sharedAt: Fixture.start)),
            .locked(by: "a"), .unlocked(by: "a"), .hostPromoted(userId: "b", by: "a"), .hostDemoted(userId: "b", by: "a"),
            .message(ChatMessage(id: "m1", userId: "b", name: "B", text: "hi", at: Fixture.start)), .ended(by: "a"),
        ]
        #expect(Set(kinds.map(\.name)) == Set(EventName.allCases))
        for kind in kinds {
            let notice = RoomNotice(event: MeetingEvent(meetingId: "m1", seq: 1, at: Fixture.start, kind: kind), text: "x", fields: [:])
            #expect(AnnounceCategory.of(notice) != nil, "\(kind.name)")
        }
    }
}
