/// How a piece of text looks. Colour is never the only signal: every coloured thing also has a
/// marker or a word.
public struct Style: Sendable, Hashable {
    public enum Color: Sendable, Hashable {
        case normal, red, green, yellow, blue, magenta, cyan
    }

    public var color: Color = .normal
    public var bold = false
    public var reverse = false
    public var dim = false

    public init(color: Color = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.color = color
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = Style()
}

/// Where the layout draws: ncurses in the terminal, a ``CellGrid`` in tests.
public protocol Screen {
    /// Rows and columns.
    var size: (rows: Int, columns: Int) { get }
    /// Clears everything before a frame.
    mutating func clear()
    /// Writes text at a row and column; what does not fit in the row is cut.
    mutating func put(_ text: String, row: Int, column: Int, style: Style)
    /// Shows the frame.
    mutating func flush()
}
