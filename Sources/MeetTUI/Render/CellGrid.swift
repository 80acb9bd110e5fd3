/// An in-memory screen: a grid of cells, for snapshot tests (as ratatui's `TestBackend`).
public struct CellGrid: Screen, Sendable {
    public struct Cell: Sendable, Hashable {
        public var text: String
        public var style: Style
        /// The right half of a wide character.
        public var continuation: Bool
    }

    public let size: (rows: Int, columns: Int)
    public private(set) var cells: [[Cell]]
    public private(set) var frames = 0

    public init(rows: Int, columns: Int) {
        size = (rows, columns)
        cells = Array(repeating: Array(repeating: Cell(text: " ", style: .plain, continuation: false), count: columns), count: rows)
    }

    public mutating func clear() {
        self = CellGrid(rows: size.rows, columns: size.columns, frames: frames)
    }

    private init(rows: Int, columns: Int, frames: Int) {
        self.init(rows: rows, columns: columns)
        self.frames = frames
    }

    public mutating func put(_ text: String, row: Int, column: Int, style: Style) {
        guard (0..<size.rows).contains(row), column >= 0 else { return }
        var col = column
        for character in DisplayWidth.printable(text) {
            let width = DisplayWidth.of(character)
            if width == 0 {
                if col > 0 { cells[row][col - 1].text.append(character) }
                continue
            }
            guard col + width <= size.columns else { break }
            cells[row][col] = Cell(text: String(character), style: style, continuation: false)
            if width == 2 { cells[row][col + 1] = Cell(text: "", style: style, continuation: true) }
            col += width
        }
    }

    public mutating func flush() { frames += 1 }

    /// The rows as text, trailing spaces removed.
    public var lines: [String] {
        cells.map { row in
            var line = row.map(\.text).joined()
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text, one line per row.
    public var text: String { lines.joined(separator: "\n") }
}
