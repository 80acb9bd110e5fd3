import Foundation
@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// A 200-participant room at 80×24: the roster's indicator never covers a row, names are not
/// cut, the selection is always shown; the activity scrolled back; the filter's title.
@Suite struct LayoutRosterTests {
    /// alice (host, online) and Person 000–199 (offline; the first 17 with raised hands).
    func townHall() -> ClientModel {
        let json = snapshot(seq: 1) { room in
            room.participants = [.alice] + (0..<200).map { Person(userId: "p\($0 < 10 ? "00" : $0 < 100 ? "0" : "")\($0)", name: "Person \($0 < 10 ? "00" : $0 < 100 ? "0" : "")\($0)", online: false) }
            room.hands = (0..<17).map { (userId: room.participants[$0 + 1].userId, raisedAt: $0) }
        }
        var model = connectedModel(snapshot: json)
        _ = model.update(.tick(Fixture.time(30)))
        return model
    }

    /// The roster's rows (below its title) as text.
    func roster(_ grid: CellGrid) -> [String] {
        grid.lines[3...20].map { String($0.prefix { $0 != "│" }) }
    }

    @Test func everyRowIsAWholeParticipantOrTheMoreLine() {
        var model = townHall()
        for step in 0...60 {
            let grid = render(model)
            let rows = roster(grid)
            #expect(rows.last?.contains("↓") == true && rows.last?.contains("more") == true, "step \(step): \(rows.last ?? "")")
            for row in rows.dropLast() {
                #expect(!row.contains("…") && !row.contains("↓"), "step \(step): a cut or covered row: \(row)")
                #expect(row.contains("Person") || row.contains("Alice (you)"), "step \(step): \(row)")
            }
            #expect(rows.filter { $0.contains("▶") }.count == 1, "step \(step): the selection is shown once")
            #expect(grid.lines[2].hasPrefix(" Participants (201) "), "\(grid.lines[2])")
            model.hit(.down)
        }
    }

    @Test func theTitleSaysWhichRowsAreShown() {
        var model = townHall()
        #expect(render(model).lines[2].hasPrefix(" Participants (201) 1–17"))
        for _ in 0..<20 { model.hit(.down) }
        #expect(render(model).lines[2].hasPrefix(" Participants (201) 5–21"))
        #expect(roster(render(model)).last?.trimmingCharacters(in: .whitespaces) == "↓ 180 more")
    }

    @Test func theRosterIsAsWideAsItsWidestRow() {
        let grid = render(townHall())
        // "▶ ★ " + "Person 016" + " ✋17 14s" + " ○off" and a margin of 2: 30, under half of 80.
        let separator = grid.lines[3].firstIndex(of: "│").map { grid.lines[3].distance(from: grid.lines[3].startIndex, to: $0) }
        #expect(separator == 30, "\(grid.lines[3])")
        #expect(grid.lines[3...20].contains { $0.contains("Person 000 ✋1 30s ○off") })
    }

    @Test func aFilterNarrowsTheRosterAndItsTitleSaysSo() {
        var model = townHall()
        model.hit(.character("/"))
        model.typeText("person 19")
        let grid = render(model)
        #expect(grid.lines[2].hasPrefix(" Participants (10 of 201)"), "\(grid.lines[2])")
        #expect(grid.lines[23].hasPrefix("filter names: person 19_"))
    }

    @Test func theActivityPaneSizeIsWhatTheLayoutDraws() {
        let model = townHall()
        // 80×24 with 17 hands: the queue shows 5 and "and 12 more"; 10 activity rows below.
        #expect(Layout(model: model).activityRows(screenRows: 24) == 10)
        var quiet = connectedModel(snapshot: snapshot(seq: 1) { $0.participants = [.alice] })
        _ = quiet.update(.tick(Fixture.time(1)))
        #expect(Layout(model: quiet).activityRows(screenRows: 24) == 15)
        for seq in 2...40 { _ = quiet.update(roomEvent("meeting:locked", seq: seq, [("by", "alice")])) }
        let lines = render(quiet).lines[5...20].filter { $0.contains("Alice locked") }
        #expect(lines.count == 15, "\(render(quiet).text)")
    }

    @Test func anASCIIRosterTitleUsesAHyphen() {
        var model = townHall()
        model.options.ascii = true
        #expect(render(model).lines[2].hasPrefix(" Participants (201) 1-17"))
    }

    @Test func scrolledBackActivitySaysHowManyAreNewer() {
        var model = townHall()
        for seq in 2...40 { _ = model.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        model.hit(.pageUp)
        let grid = render(model)
        #expect(grid.lines[20].contains("↓ 10 newer · PgDn"), "\(grid.lines[20])")
    }
}
