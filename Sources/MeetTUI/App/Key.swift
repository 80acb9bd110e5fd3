/// A key the terminal delivered, already decoded.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter
    case escape
    case backspace
    case up
    case down
    case pageUp
    case pageDown
    case resize
}
