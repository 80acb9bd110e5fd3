import Foundation
import MeetingsContract
import Testing

/// What the client's decoder refuses, with errors that say why.
@Suite struct MeetingEventDecodingTests {
    @Test func anUnknownEventNameIsRefusedByName() {
        #expect(throws: MeetingEventDecodingError.unknownEvent("meeting:confetti")) {
            try MeetingEvent(name: "meeting:confetti", json: Array(#"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z"}"#.utf8))
        }
    }

    @Test func aMissingFieldIsADecodingErrorThatNamesIt() {
        do {
            _ = try MeetingEvent(name: "meeting:hand-lowered", json: Array(#"{"meetingId":"m1","seq":1,"at":"2026-11-27T10:00:00.000Z","userId":"bob"}"#.utf8))
            Issue.record("decoded an event without 'by'")
        } catch let DecodingError.keyNotFound(key, _) {
            #expect(key.stringValue == "by")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aTimeThatIsNotTheContractsFormIsRefused() {
        #expect(throws: DecodingError.self) {
            try MeetingEvent(name: "meeting:locked", json: Array(#"{"meetingId":"m1","seq":1,"at":"yesterday","by":"alice"}"#.utf8))
        }
    }

    @Test func aSnapshotWithPlayingMusicButNoTrackIsRefused() {
        let json = #"{"id":"m1","title":"t","createdBy":"a","createdAt":"2026-11-27T10:00:00.000Z","seq":0,"locked":false,"participants":[],"hands":[],"music":{"playing":true},"recording":{"active":false},"screenshare":{"active":false},"resources":[],"messages":[],"ended":false}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MeetingState.self, from: Data(json.utf8)) }
    }

    @Test func theEventLogEntryCarriesTheNameBesideThePayload() throws {
        let json = #"{"event":"meeting:hand-raised","data":{"meetingId":"m1","seq":4,"at":"2026-11-27T10:00:00.000Z","userId":"bob","raisedAt":"2026-11-27T10:00:00.000Z","position":1}}"#
        let entry = try JSONDecoder().decode(EventLogEntry.self, from: Data(json.utf8))
        #expect(entry.event.seq == 4)
        #expect(entry.event.kind == .handRaised(userId: "bob", raisedAt: Timestamp(milliseconds: 1_795_773_600_000), position: 1))
    }

    @Test func routesFillTheirParametersEscaped() {
        #expect(MeetingsRoutes.demote.path("m1", "bob") == "/api/meetings/m1/hosts/bob")
        #expect(MeetingsRoutes.remove.path("m 1", "a/b") == "/api/meetings/m%201/participants/a%2Fb/remove")
        #expect(MeetingsRoutes.demote.parameters == ["id", "userId"])
    }
}
