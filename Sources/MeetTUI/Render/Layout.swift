import Foundation
import MeetingsContract

/// Draws a ``ClientModel`` on a ``Screen``: header, participants, hand queue, activity, status
/// line and key bar, with the help overlay, prompts and confirmations on top.
public struct Layout {
    /// The smallest terminal the layout draws in.
    public static let minimum = (rows: 16, columns: 60)

    public let model: ClientModel
    /// The local time zone's offset from UTC, for the clock times in the activity log.
    public let utcOffsetSeconds: Int

    public init(model: ClientModel, utcOffsetSeconds: Int = 0) {
        self.model = model
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    var glyphs: Glyphs { model.options.ascii ? .ascii : .unicode }

    func style(_ color: Style.Color, bold: Bool = false, dim: Bool = false) -> Style {
        Style(color: model.options.color ? color : .normal, bold: bold, dim: dim && model.options.color)
    }

    public func draw(on screen: inout some Screen) {
        screen.clear()
        defer { screen.flush() }
        let (rows, columns) = screen.size
        guard rows >= Self.minimum.rows, columns >= Self.minimum.columns else {
            let lines = [
                "Terminal too small: \(columns)\(glyphs.times)\(rows).",
                "meet needs at least \(Self.minimum.columns)\(glyphs.times)\(Self.minimum.rows).",
                "Enlarge the window, or press q to leave.",
            ]
            for (index, line) in lines.enumerated() {
                screen.put(DisplayWidth.truncate(line, to: columns, ascii: model.options.ascii), row: index, column: 0, style: .plain)
            }
            return
        }
        drawHeader(on: &screen, columns: columns)
        let (bodyTop, bodyBottom) = Self.body(rows: rows)
        // Filtered and sorted once per frame: the width and the rows both need it.
        let people = model.visibleParticipants
        let left = rosterWidth(of: people, columns: columns)
        drawParticipants(people, on: &screen, top: bodyTop, bottom: bodyBottom, width: left)
        for row in bodyTop...bodyBottom { screen.put(glyphs.separator, row: row, column: left, style: style(.normal, dim: true)) }
        drawRight(on: &screen, top: bodyTop, bottom: bodyBottom, column: left + 2, width: columns - left - 2)
        screen.put(String(repeating: glyphs.rule, count: columns), row: rows - 3, column: 0, style: style(.normal, dim: true))
        drawStatus(on: &screen, row: rows - 2, columns: columns)
        drawBottom(on: &screen, row: rows - 1, columns: columns)
        if model.mode == .help { drawHelp(on: &screen, rows: rows, columns: columns) }
    }

    // MARK: Header

    func drawHeader(on screen: inout some Screen, columns: Int) {
        var parts: [String] = []
        if let room = model.room {
            parts.append(room.title)
            parts.append(room.id)
            if room.locked { parts.append(glyphs.locked) }
            if room.ended { parts.append(glyphs.ended) }
        } else {
            parts.append("Joining \(model.meetingId)\(glyphs.ellipsis)")
        }
        if model.stale && model.room != nil { parts.append(glyphs.stale) }
        let header = " " + parts.joined(separator: "  ")
        screen.put(DisplayWidth.fit(header, to: columns, ascii: model.options.ascii), row: 0, column: 0, style: Style(color: .normal, bold: true, reverse: true))
        if let recording = model.room?.recording {
            let text = " \(glyphs.recording) \(Self.clock(model.now.milliseconds - recording.startedAt.milliseconds)) \(model.room?.name(of: recording.startedBy) ?? recording.startedBy) "
            let width = DisplayWidth.of(text)
            if width < columns - DisplayWidth.of(header) {
                screen.put(text, row: 0, column: columns - width, style: Style(color: model.options.color ? .red : .normal, bold: true, reverse: !model.options.color))
            }
        }
        screen.put(String(repeating: glyphs.rule, count: columns), row: 1, column: 0, style: style(.normal, dim: true))
    }

    // MARK: Participants

    /// The roster's width: its widest row (name and markers), at least 26 columns, at most half
    /// the terminal and never leaving the right column under 42: names are not cut while the
    /// right column has room to spare.
    func rosterWidth(of people: [RoomState.Participant], columns: Int) -> Int {
        let widest = people.lazy.map { person -> Int in
            let parts = self.parts(of: person, waitWidth: 3)
            return DisplayWidth.of(parts.prefix + person.name + parts.you + parts.suffix)
        }.max() ?? 0
        return min(max(26, widest + 2), max(26, min(columns / 2, columns - 42)))
    }

    func drawParticipants(_ people: [RoomState.Participant], on screen: inout some Screen, top: Int, bottom: Int, width: Int) {
        let all = model.room?.participants.count ?? 0
        // The rows below the title; when not everyone fits, the last says how many are below.
        let rows = bottom - top
        let listed = people.count > rows ? rows - 1 : rows
        var start = 0
        if let selected = model.selected, let index = people.firstIndex(where: { $0.userId == selected }), index >= listed {
            start = index - listed + 1
        }
        var title = model.filter.isEmpty && !isTypingFilter ? "Participants (\(all))" : "Participants (\(people.count) of \(all))"
        if people.count > listed { title += " \(start + 1)\(model.options.ascii ? "-" : "\u{2013}")\(min(people.count, start + listed))" }
        screen.put(DisplayWidth.truncate(title, to: width - 1, ascii: model.options.ascii), row: top, column: 1, style: Style(bold: true))
        for (offset, person) in people.dropFirst(start).prefix(listed).enumerated() {
            drawParticipant(person, on: &screen, row: top + 1 + offset, width: width)
        }
        let below = people.count - start - listed
        if below > 0 {
            screen.put(DisplayWidth.truncate("  \(glyphs.more) \(below) more", to: width - 1), row: bottom, column: 1, style: style(.normal, dim: true))
        }
    }

    var isTypingFilter: Bool {
        if case .input(.filter, _) = model.mode { return true }
        return false
    }

    /// A roster row's pieces: selection and host markers, "(you)", and the hand, sharing and
    /// offline markers (a hand's wait padded to `waitWidth`).
    func parts(of person: RoomState.Participant, waitWidth: Int = 0) -> (prefix: String, you: String, suffix: String) {
        guard let room = model.room else { return ("", "", "") }
        var suffix = ""
        if let position = room.handPosition(person.userId), let hand = room.hands.first(where: { $0.userId == person.userId }) {
            var wait = Self.wait(model.now.milliseconds - hand.raisedAt.milliseconds)
            while wait.count < waitWidth { wait += " " }
            suffix += " \(glyphs.hand)\(position) \(wait)"
        }
        if room.screenshare?.userId == person.userId { suffix += " \(glyphs.sharing)" }
        if !person.online { suffix += " \(glyphs.offline)off" }
        let marker = person.isHost ? glyphs.host : " "
        let you = person.userId == model.me ? " (you)" : ""
        let prefix = (person.userId == model.selected ? glyphs.selected : " ") + " " + marker + " "
        return (prefix, you, suffix)
    }

    func drawParticipant(_ person: RoomState.Participant, on screen: inout some Screen, row: Int, width: Int) {
        guard let room = model.room else { return }
        let isSelected = person.userId == model.selected
        let (prefix, you, suffix) = parts(of: person)
        let nameRoom = width - 1 - DisplayWidth.of(prefix) - DisplayWidth.of(suffix) - DisplayWidth.of(you)
        let name = DisplayWidth.truncate(person.name, to: max(3, nameRoom), ascii: model.options.ascii) + you
        let line = DisplayWidth.fit(prefix + name + suffix, to: width - 1, ascii: model.options.ascii)
        let color: Style.Color = room.handPosition(person.userId) != nil ? .yellow : person.isHost ? .cyan : .normal
        var look = style(color, bold: person.userId == model.me, dim: !person.online)
        look.reverse = isSelected
        screen.put(line, row: row, column: 1, style: look)
    }

    // MARK: Hand queue and activity

    /// The rows of the body: below the header and its rule, above the rule, status and keys.
    static func body(rows: Int) -> (top: Int, bottom: Int) { (2, rows - 4) }

    /// How many activity lines a screen of `rows` shows (below the hand queue); what PgUp and
    /// PgDn scroll by pages of (the loop tells the model, as Bubble Tea's window-size message).
    public func activityRows(screenRows rows: Int) -> Int {
        guard rows >= Self.minimum.rows else { return 0 }
        let (top, bottom) = Self.body(rows: rows)
        let hands = model.room?.hands.count ?? 0
        let queue = hands == 0 ? 1 : min(hands, 5) + (hands > 5 ? 1 : 0)
        // Title, queue, a blank row, "Activity", then the lines down to the bottom row.
        return max(0, bottom - (top + 1 + queue + 2) + 1)
    }

    func drawRight(on screen: inout some Screen, top: Int, bottom: Int, column: Int, width: Int) {
        var row = top
        let hands = model.room?.hands ?? []
        screen.put(DisplayWidth.truncate("Hand queue (\(hands.count))", to: width), row: row, column: column, style: Style(bold: true))
        row += 1
        let shown = min(hands.count, 5)
        if hands.isEmpty {
            screen.put("no hands raised", row: row, column: column, style: style(.normal, dim: true))
            row += 1
        }
        for (index, hand) in hands.prefix(shown).enumerated() {
            let name = model.room?.name(of: hand.userId) ?? hand.userId
            let line = "\(index + 1). \(glyphs.hand) \(name)  \(Self.wait(model.now.milliseconds - hand.raisedAt.milliseconds))"
            screen.put(DisplayWidth.truncate(line, to: width, ascii: model.options.ascii), row: row, column: column, style: style(.yellow, bold: index == 0))
            row += 1
        }
        if hands.count > shown {
            screen.put("\(glyphs.ellipsis) and \(hands.count - shown) more", row: row, column: column, style: style(.normal, dim: true))
            row += 1
        }
        row += 1
        guard row < bottom else { return }
        screen.put("Activity", row: row, column: column, style: Style(bold: true))
        row += 1
        var room = bottom - row + 1
        // Scrolled back (PgUp): the newest lines are below; the last row says how many. The
        // view never scrolls past a full pane of the oldest lines.
        var scroll = min(model.activityScroll, max(0, model.activity.count - room))
        if scroll > 0 {
            room -= 1
            scroll = min(model.activityScroll, max(0, model.activity.count - room))
        }
        let end = model.activity.count - scroll
        for entry in model.activity[..<end].suffix(max(0, room)) {
            let time = Self.timeOfDay(entry.at.milliseconds + Int64(utcOffsetSeconds) * 1000)
            let look: Style = switch entry.kind {
            case .chat: style(.cyan)
            case .alert: style(.red, bold: true)
            case .event: .plain
            }
            screen.put(DisplayWidth.truncate("\(time) \(entry.text)", to: width, ascii: model.options.ascii), row: row, column: column, style: look)
            row += 1
        }
        if scroll > 0 {
            let text = "\(glyphs.more) \(scroll) newer \(glyphs.dot) PgDn"
            screen.put(DisplayWidth.truncate(text, to: width, ascii: model.options.ascii), row: bottom, column: column, style: style(.normal, dim: true))
        }
    }

    // MARK: Status and keys

    func drawStatus(on screen: inout some Screen, row: Int, columns: Int) {
        var parts: [(String, Style)] = []
        switch model.connection {
        case .connecting:
            parts.append(("\(glyphs.offline) connecting\(glyphs.ellipsis)", style(.yellow)))
        case .connected(let transport):
            var text = "\(glyphs.online) connected over \(transport)"
            if let rtt = model.roundTrip { text += " \(glyphs.dot) rtt \(rtt) ms" }
            parts.append((text, style(.green)))
        case .reconnecting(let attempt, let milliseconds):
            parts.append(("\(glyphs.offline) reconnecting (attempt \(attempt), next in \((milliseconds + 999) / 1000) s)", style(.yellow, bold: true)))
        case .offline(let reason):
            parts.append(("\(glyphs.offline) offline: \(reason)", style(.red, bold: true)))
        }
        // How current the room is: the age of what is shown while it is stale (next to the
        // connection, as it matters most then), else the last event applied (last).
        if model.room != nil, model.stale {
            let age = max(0, model.now.milliseconds - (model.staleSince ?? model.now).milliseconds) / 1000
            parts.append(("stale \(age)s", style(.yellow, bold: true)))
        }
        if let music = model.room?.music { parts.append(("\(glyphs.music) \(music.track) \(music.volume)%", style(.magenta))) }
        if let share = model.room?.screenshare {
            parts.append(("\(glyphs.sharing) \(model.room?.name(of: share.userId) ?? share.userId) is sharing", style(.blue)))
        }
        if let room = model.room, !model.stale { parts.append(("synced \(glyphs.dot) seq \(room.seq)", style(.normal, dim: true))) }
        var column = 0
        for (index, part) in parts.enumerated() {
            let text = (index == 0 ? " " : " \(glyphs.separator) ") + part.0
            let cut = DisplayWidth.truncate(text, to: columns - column, ascii: model.options.ascii)
            screen.put(cut, row: row, column: column, style: part.1)
            column += DisplayWidth.of(cut)
            if column >= columns { break }
        }
    }

    func drawBottom(on screen: inout some Screen, row: Int, columns: Int) {
        switch model.mode {
        case .input(let prompt, let text):
            let label = switch prompt {
            case .chat: "say: "
            case .command: ":"
            case .resource: "share link (URL [title]): "
            case .music: "music track: "
            case .filter: "filter names: "
            }
            // Show the end of a long line, as a shell does.
            let room = columns - DisplayWidth.of(label) - 2
            var shown = text
            while DisplayWidth.of(shown) > room { shown.removeFirst() }
            screen.put(label + shown + "_", row: row, column: 0, style: Style(bold: true))
        case .confirm(let confirmation):
            screen.put(DisplayWidth.truncate("\(confirmation.question) y to confirm, any other key to cancel", to: columns), row: row, column: 0, style: style(.yellow, bold: true))
        case .normal, .help:
            if let status = model.status {
                screen.put(DisplayWidth.truncate(" " + status.text, to: columns, ascii: model.options.ascii), row: row, column: 0, style: status.isError ? style(.red, bold: true) : Style(bold: true))
                return
            }
            let k = model.options.keys
            var keys = "\(k.key(.hand)) hand  \(k.key(.chat)) chat  \(k.key(.screen)) screen  \(k.key(.link)) link  \(k.key(.command)) command  \(k.key(.filter)) find  \(k.key(.help)) help  \(k.key(.quit)) quit"
            if model.isHost {
                keys += "  \(glyphs.separator) host: \(k.key(.lock)) lock \(k.key(.promote))/\(k.key(.demote)) host \(k.key(.nextSpeaker)) next \(k.key(.lowerHand))/\(k.key(.lowerAll)) lower \(k.key(.remove)) remove \(k.key(.record)) rec \(k.key(.music)) music \(k.key(.volumeUp))/\(k.key(.volumeDown)) vol \(k.key(.end)) end"
            }
            screen.put(DisplayWidth.truncate(" " + keys, to: columns, ascii: model.options.ascii), row: row, column: 0, style: style(.normal, dim: true))
        }
    }

    // MARK: Help

    /// The help overlay's lines, with the keys as `[keys]` in the config set them.
    static func helpLines(_ keys: KeyMap) -> [String] {
        func k(_ action: KeyMap.Action) -> String { keys.key(action) }
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
        return [
            "Keys",
            "  \(pad(k(.hand), 10))raise or lower your hand",
            "  \(pad("\(k(.down)) \(k(.up)) ↑ ↓", 10))select a participant",
            "  \(pad("\(k(.chat)) Enter", 10))write a chat message",
            "  \(pad(k(.screen), 10))start or stop sharing your screen",
            "  \(pad(k(.link), 10))share a link (URL [title])",
            "  \(pad(k(.filter), 10))find participants by name (Esc clears)",
            "  \(pad("PgUp PgDn", 10))scroll the activity",
            "  \(pad(k(.command), 10))command line",
            "  \(pad(k(.quit), 10))leave the meeting and quit",
            "Host keys",
            "  \(k(.lock)) lock/unlock   \(k(.promote)) promote   \(k(.demote)) demote   \(k(.record)) recording",
            "  \(k(.lowerHand)) lower selected hand   \(k(.lowerAll)) lower all   \(k(.remove)) remove selected",
            "  \(k(.nextSpeaker)) next speaker   \(k(.music)) music/stop   \(k(.volumeUp)) \(k(.volumeDown)) volume   \(k(.end)) end for all",
            "Commands",
            "  :raise :lower [who] :lowerall :lock :unlock :say TEXT",
            "  :promote WHO :demote WHO :remove WHO :readmit WHO",
            "  :record [on|off] :screen [on|off] :share URL [title]",
            "  :music TRACK | stop  :volume N  :end  :quit",
            "Music, recording and screenshare are shared status only:",
            "meet plays, records and shows no media. Any key closes this.",
        ]
    }

    func drawHelp(on screen: inout some Screen, rows: Int, columns: Int) {
        let lines = Self.helpLines(model.options.keys).map { model.options.ascii ? $0.replacingArrows : $0 }
        let width = min(columns - 2, (lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4)
        let height = min(rows, lines.count + 2)
        let top = (rows - height) / 2, left = (columns - width) / 2
        // top-left, horizontal, vertical, top-right, bottom-left, bottom-right
        let b = model.options.ascii ? ["+", "-", "|", "+", "+", "+"] : ["┌", "─", "│", "┐", "└", "┘"]
        let rule = String(repeating: b[1], count: width - 2)
        screen.put(b[0] + rule + b[3], row: top, column: left, style: Style(bold: true))
        for index in 0..<(height - 2) {
            let text = index < lines.count ? lines[index] : ""
            let look = text.first != " " ? Style(bold: true) : Style.plain
            screen.put(b[2] + " " + DisplayWidth.fit(text, to: width - 4, ascii: model.options.ascii) + " " + b[2], row: top + 1 + index, column: left, style: look)
        }
        screen.put(b[4] + rule + b[5], row: top + height - 1, column: left, style: Style(bold: true))
    }

    // MARK: Times

    /// `45s`, `3m`, `1h05m`.
    static func wait(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\(pad(seconds / 60 % 60))m"
    }

    /// `05:12` or `1:05:12`.
    static func clock(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        return seconds >= 3600 ? "\(seconds / 3600):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))" : "\(pad(seconds / 60)):\(pad(seconds % 60))"
    }

    /// `HH:MM` of a time in milliseconds.
    static func timeOfDay(_ milliseconds: Int64) -> String {
        let minutes = ((milliseconds / 60_000) % 1440 + 1440) % 1440
        return "\(pad(minutes / 60)):\(pad(minutes % 60))"
    }

    static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension String {
    var replacingArrows: String {
        replacingOccurrences(of: "↑", with: "up").replacingOccurrences(of: "↓", with: "down")
    }
}
