import Foundation
import MeetingsServer

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
        let bodyTop = 2, bodyBottom = rows - 4
        let left = min(38, max(26, columns / 3))
        drawParticipants(on: &screen, top: bodyTop, bottom: bodyBottom, width: left)
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

    func drawParticipants(on screen: inout some Screen, top: Int, bottom: Int, width: Int) {
        let people = model.orderedParticipants
        screen.put(DisplayWidth.truncate("Participants (\(people.count))", to: width), row: top, column: 1, style: Style(bold: true))
        let visible = bottom - top
        var start = 0
        if let selected = model.selected, let index = people.firstIndex(where: { $0.userId == selected }), index >= visible {
            start = index - visible + 1
        }
        for (offset, person) in people.dropFirst(start).prefix(visible).enumerated() {
            drawParticipant(person, on: &screen, row: top + 1 + offset, width: width)
        }
        if people.count > start + visible {
            screen.put(glyphs.more, row: bottom, column: width - 7, style: style(.normal, dim: true))
        }
    }

    func drawParticipant(_ person: RoomState.Participant, on screen: inout some Screen, row: Int, width: Int) {
        guard let room = model.room else { return }
        let isSelected = person.userId == model.selected
        var suffix = ""
        if let position = room.handPosition(person.userId), let hand = room.hands.first(where: { $0.userId == person.userId }) {
            suffix += " \(glyphs.hand)\(position) \(Self.wait(model.now.milliseconds - hand.raisedAt.milliseconds))"
        }
        if room.screenshare?.userId == person.userId { suffix += " \(glyphs.sharing)" }
        if !person.online { suffix += " \(glyphs.offline)off" }
        let marker = person.isHost ? glyphs.host : " "
        let you = person.userId == model.me ? " (you)" : ""
        let prefix = (isSelected ? glyphs.selected : " ") + " " + marker + " "
        let nameRoom = width - 1 - DisplayWidth.of(prefix) - DisplayWidth.of(suffix) - DisplayWidth.of(you)
        let name = DisplayWidth.truncate(person.name, to: max(3, nameRoom), ascii: model.options.ascii) + you
        let line = DisplayWidth.fit(prefix + name + suffix, to: width - 1, ascii: model.options.ascii)
        let color: Style.Color = room.handPosition(person.userId) != nil ? .yellow : person.isHost ? .cyan : .normal
        var look = style(color, bold: person.userId == model.me, dim: !person.online)
        look.reverse = isSelected
        screen.put(line, row: row, column: 1, style: look)
    }

    // MARK: Hand queue and activity

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
        let room = bottom - row + 1
        for entry in model.activity.suffix(room) {
            let time = Self.timeOfDay(entry.at.milliseconds + Int64(utcOffsetSeconds) * 1000)
            let look: Style = switch entry.kind {
            case .chat: style(.cyan)
            case .alert: style(.red, bold: true)
            case .event: .plain
            }
            screen.put(DisplayWidth.truncate("\(time) \(entry.text)", to: width, ascii: model.options.ascii), row: row, column: column, style: look)
            row += 1
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
        case .reconnecting(let attempt, let next):
            parts.append(("\(glyphs.offline) reconnecting (attempt \(attempt), next in \(next) s)", style(.yellow, bold: true)))
        case .offline(let reason):
            parts.append(("\(glyphs.offline) offline: \(reason)", style(.red, bold: true)))
        }
        if let music = model.room?.music { parts.append(("\(glyphs.music) \(music.track) \(music.volume)%", style(.magenta))) }
        if let share = model.room?.screenshare {
            parts.append(("\(glyphs.sharing) \(model.room?.name(of: share.userId) ?? share.userId) is sharing", style(.blue)))
        }
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
            var keys = "h hand  c chat  s screen  u link  : command  ? help  q quit"
            if model.isHost { keys += "  \(glyphs.separator) host: L lock p/d host x/X lower K remove r rec m music +/- vol E end" }
            screen.put(DisplayWidth.truncate(" " + keys, to: columns, ascii: model.options.ascii), row: row, column: 0, style: style(.normal, dim: true))
        }
    }

    // MARK: Help

    static let helpLines: [String] = [
        "Keys",
        "  h        raise or lower your hand",
        "  j k ↑ ↓  select a participant",
        "  c Enter  write a chat message",
        "  s        start or stop sharing your screen",
        "  u        share a link (URL [title])",
        "  :        command line",
        "  q        leave the meeting and quit",
        "Host keys",
        "  L lock/unlock   p promote   d demote   r recording",
        "  x lower selected hand   X lower all   K remove selected",
        "  m music (track) / stop   + - volume   E end for all",
        "Commands",
        "  :raise :lower [who] :lowerall :lock :unlock :say TEXT",
        "  :promote WHO :demote WHO :remove WHO :readmit WHO",
        "  :record [off] :screen [off] :share URL [title]",
        "  :music TRACK | stop  :volume N  :end  :quit",
        "Music, recording and screenshare are shared status",
        "only: meet plays, records and shows no media.",
        "Any key closes this help.",
    ]

    func drawHelp(on screen: inout some Screen, rows: Int, columns: Int) {
        let lines = Self.helpLines.map { model.options.ascii ? $0.replacingArrows : $0 }
        let width = min(columns - 2, (lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4)
        let height = min(rows - 2, lines.count + 2)
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
