import Foundation
@testable import MeetTUI
import MeetingsServer
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

    func render(_ model: ClientModel, rows: Int = 24, columns: Int = 80) -> CellGrid {
        var grid = CellGrid(rows: rows, columns: columns)
        Layout(model: model).draw(on: &grid)
        return grid
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

    @Test func scrolledBackActivitySaysHowManyAreNewer() {
        var model = townHall()
        for seq in 2...40 { _ = model.update(roomEvent(seq % 2 == 0 ? "meeting:locked" : "meeting:unlocked", seq: seq, [("by", "alice")])) }
        model.hit(.pageUp)
        let grid = render(model)
        #expect(grid.lines[20].contains("↓ 10 newer · PgDn"), "\(grid.lines[20])")
    }
}
