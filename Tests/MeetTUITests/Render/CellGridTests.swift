@testable import MeetTUI
import Testing

/// The in-memory screen the layout tests draw on.
@Suite struct CellGridTests {
    @Test func anEmptyGrid() {
        let grid = CellGrid(rows: 3, columns: 5)
        #expect(grid.size.rows == 3)
        #expect(grid.size.columns == 5)
        #expect(grid.lines == ["", "", ""])
        #expect(grid.text == "\n\n")
        #expect(grid.frames == 0)
        #expect(grid.cells.count == 3)
        #expect(grid.cells.allSatisfy { row in row.count == 5 })
    }

    @Test func textGoesWhereItIsPut() {
        var grid = CellGrid(rows: 2, columns: 10)
        grid.put("ab", row: 0, column: 1, style: .plain)
        grid.put("xyz", row: 1, column: 7, style: .plain)
        #expect(grid.lines == [" ab", "       xyz"])
        #expect(grid.text == " ab\n       xyz")
    }

    @Test func laterTextOverwrites() {
        var grid = CellGrid(rows: 1, columns: 10)
        grid.put("hello", row: 0, column: 0, style: .plain)
        grid.put("J", row: 0, column: 0, style: .plain)
        grid.put("y!", row: 0, column: 4, style: .plain)
        #expect(grid.lines == ["Jelly!"])
    }

    @Test func trailingSpacesAreNotInTheText() {
        var grid = CellGrid(rows: 1, columns: 10)
        grid.put("a   ", row: 0, column: 0, style: .plain)
        #expect(grid.lines == ["a"])
        grid.put(" b ", row: 0, column: 5, style: .plain)
        #expect(grid.lines == ["a     b"])
    }

    @Test func wideCharactersTakeTwoCells() {
        var grid = CellGrid(rows: 1, columns: 6)
        grid.put("恵a林", row: 0, column: 0, style: Style(color: .cyan))
        let row = grid.cells[0]
        #expect(row[0].text == "恵")
        #expect(!row[0].continuation)
        #expect(row[1].text == "")
        #expect(row[1].continuation)
        #expect(row[1].style.color == .cyan)
        #expect(row[2].text == "a")
        #expect(row[3].text == "林")
        #expect(row[4].continuation)
        #expect(row[5].text == " ")
        #expect(grid.lines == ["恵a林"])
    }

    @Test func emojiTakeTwoCells() {
        var grid = CellGrid(rows: 1, columns: 4)
        grid.put("✋1", row: 0, column: 0, style: .plain)
        #expect(grid.cells[0][0].text == "✋")
        #expect(grid.cells[0][1].continuation)
        #expect(grid.cells[0][2].text == "1")
    }

    @Test func textIsCutAtTheEdge() {
        var grid = CellGrid(rows: 1, columns: 5)
        grid.put("abcdefg", row: 0, column: 2, style: .plain)
        #expect(grid.lines == ["  abc"])
    }

    @Test func aWideCharacterThatWouldStickOutIsLeftOut() {
        var grid = CellGrid(rows: 1, columns: 5)
        grid.put("ab恵c", row: 0, column: 2, style: .plain)
        #expect(grid.lines == ["  ab"])
        #expect(grid.cells[0][4].text == " ")
        #expect(!grid.cells[0][4].continuation)
    }

    @Test func outsideTheGridNothingIsDrawn() {
        var grid = CellGrid(rows: 2, columns: 5)
        grid.put("x", row: -1, column: 0, style: .plain)
        grid.put("x", row: 2, column: 0, style: .plain)
        grid.put("x", row: 0, column: -1, style: .plain)
        grid.put("x", row: 0, column: 5, style: .plain)
        #expect(grid.lines == ["", ""])
    }

    @Test func combiningMarksStayWithTheirLetter() {
        var grid = CellGrid(rows: 1, columns: 5)
        grid.put("e\u{301}x", row: 0, column: 0, style: .plain)
        #expect(grid.cells[0][0].text == "e\u{301}")
        #expect(grid.cells[0][1].text == "x")
        // A mark on its own joins the cell to its left.
        grid.put("\u{301}", row: 0, column: 2, style: .plain)
        #expect(grid.cells[0][1].text == "x\u{301}")
        #expect(grid.cells[0][2].text == " ")
    }

    @Test func stylesAreKeptPerCell() {
        var grid = CellGrid(rows: 1, columns: 4)
        grid.put("ab", row: 0, column: 0, style: Style(color: .red, bold: true))
        #expect(grid.cells[0][0].style == Style(color: .red, bold: true))
        #expect(grid.cells[0][1].style.bold)
        #expect(grid.cells[0][2].style == .plain)
    }

    @Test func clearEmptiesTheGridAndFlushCountsFrames() {
        var grid = CellGrid(rows: 1, columns: 4)
        grid.put("ab", row: 0, column: 0, style: .plain)
        grid.flush()
        grid.clear()
        #expect(grid.lines == [""])
        #expect(grid.frames == 1)
        grid.flush()
        #expect(grid.frames == 2)
    }

    @Test func controlCharactersAreDrawnAsQuestionMarks() {
        var grid = CellGrid(rows: 2, columns: 20)
        grid.put("a\nb\u{1B}[31mc", row: 0, column: 0, style: .plain)
        #expect(grid.lines[0] == "a?b?[31mc")
        grid.put("\u{202E}abc", row: 1, column: 0, style: .plain)
        #expect(grid.lines[1] == "?abc")
    }
}
