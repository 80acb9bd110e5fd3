import CNcurses

/// The terminal through ncurses: the one place that calls the C library. Only the UI thread
/// touches it, from `start()` to `stop()`.
public final class NcursesTerminal: Screen {
    private var started = false
    private let color: Bool

    public init(color: Bool) { self.color = color }

    /// Enters curses mode: UTF-8, no echo, keys unbuffered, arrow keys decoded, cursor hidden.
    public func start() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        _ = initscr()
        started = true
        _ = cbreak()
        _ = noecho()
        _ = keypad(meet_stdscr(), true)
        _ = curs_set(0)
        _ = set_escdelay(25)
        // Reading never waits: the UI thread waits in `poll` on the terminal and its wake pipe.
        wtimeout(meet_stdscr(), 0)
        if color && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors: [Int16] = [Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE), Int16(COLOR_MAGENTA), Int16(COLOR_CYAN)]
            for (index, foreground) in colors.enumerated() { _ = init_pair(Int16(index + 1), foreground, -1) }
        }
        // After initscr, which installs its own SIGINT handler.
        Interrupts.install()
    }

    /// Leaves curses mode and restores the terminal (safe to call more than once).
    public func stop() {
        guard started else { return }
        started = false
        _ = curs_set(1)
        _ = endwin()
    }

    deinit { stop() }

    public var size: (rows: Int, columns: Int) { (Int(meet_lines()), Int(meet_columns())) }

    public func clear() { _ = werase(meet_stdscr()) }

    public func put(_ text: String, row: Int, column: Int, style: Style) {
        let (rows, columns) = size
        guard row >= 0, row < rows, column >= 0, column < columns else { return }
        // ncurses wraps at the edge: cut to what fits, and never write the last cell (it scrolls).
        let room = columns - column - (row == rows - 1 ? 1 : 0)
        var fitted = ""
        var used = 0
        for character in DisplayWidth.printable(text) {
            let width = DisplayWidth.of(character)
            if used + width > room { break }
            fitted.append(character)
            used += width
        }
        var attributes: Int32 = 0
        if style.bold { attributes |= meet_attr_bold() }
        if style.reverse { attributes |= meet_attr_reverse() }
        if style.dim { attributes |= meet_attr_dim() }
        if color, let pair = Self.pair(style.color) { attributes |= meet_color_pair(pair) }
        _ = wattrset(meet_stdscr(), attributes)
        _ = mvwaddstr(meet_stdscr(), Int32(row), Int32(column), fitted)
        _ = wattrset(meet_stdscr(), 0)
    }

    /// Shows the frame, unless the terminal changed size since it was laid out: a frame of the
    /// old size must never reach a terminal of the new one (it would scroll it, and ncurses
    /// would believe the garbled screen is right). The loop resizes and draws again.
    public func flush() {
        guard !Interrupts.resizePending else { return }
        _ = wrefresh(meet_stdscr())
    }

    /// Takes the terminal's new size and makes the next frame repaint every cell.
    public func resize() {
        var rows: Int32 = 0, columns: Int32 = 0
        if meet_terminal_size(&rows, &columns) == 0 { _ = resizeterm(rows, columns) }
        _ = clearok(meet_curscr(), true)
    }

    public func bell() { _ = beep() }

    /// What one read of the terminal gave.
    public enum Read: Sendable, Hashable {
        case key(Key)
        /// A key meet has no use for (a function key, a control character): read more.
        case ignored
        /// Nothing more has been typed.
        case nothing
    }

    /// The next key already typed (never waits).
    public func readKey() -> Read {
        var value: wint_t = 0
        let result = meet_get_wch(&value)
        if result == ERR { return .nothing }
        let code = Int32(bitPattern: UInt32(value))
        if result == meet_key_code_yes() {
            switch code {
            case meet_key_resize(): return .key(.resize)
            case meet_key_up(): return .key(.up)
            case meet_key_down(): return .key(.down)
            case meet_key_backspace(): return .key(.backspace)
            case meet_key_enter(): return .key(.enter)
            case meet_key_ppage(): return .key(.pageUp)
            case meet_key_npage(): return .key(.pageDown)
            default: return .ignored
            }
        }
        switch code {
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard code >= 32, let scalar = Unicode.Scalar(UInt32(code)) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    private static func pair(_ color: Style.Color) -> Int32? {
        switch color {
        case .normal: nil
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        }
    }
}
