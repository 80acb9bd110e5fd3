@testable import MeetTUI
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
        for event in RoomNotice.events {
            let notice = RoomNotice(event: event, wireName: "", payload: .null, text: "x", at: Fixture.start, fields: [:])
            #expect(AnnounceCategory.of(notice) != nil, "\(event)")
        }
    }
}
