import MeetingsContract
/// The room's command language: the `:` commands of `meet join` and the one-shot
/// `meet <command> [ARG…] <meeting>` share it, so a command has the same name and arguments in both.
///
/// Parsing is pure: who a participant word names comes from `resolve`, and what a toggle does
/// (`record`, `screen` without `on`/`off`) is for the caller to decide from the room it holds.
public enum RoomCommand: Sendable, Hashable {
    /// One REST call. The TUI asks before `.perform(.end)`; a one-shot does not.
    case perform(RoomAction)
    /// `record` with neither `on` nor `off`: start when off, stop when on.
    case toggleRecording
    /// `screen` with neither `on` nor `off`: start when not sharing, stop when sharing.
    case toggleScreenshare
    /// `help`: the TUI's help screen.
    case help
    /// `quit`, `q`, `leave`: leave the meeting and exit the TUI.
    case quit

    /// Parses a command and its arguments, e.g. `["promote", "Bob"]` or `["say", "hello", "all"]`.
    /// The command's name is case-insensitive; the arguments are joined with spaces where the
    /// command takes text (`say`, `music`, `share`). `resolve` turns a participant word (a user
    /// id or a name) into a user id; `readmit` takes the user id as written (a removed user is
    /// no longer in the room to be found by name).
    public static func parse(_ words: [String], resolve: (String) -> String) -> Result<RoomCommand, RoomCommandError> {
        guard let name = words.first?.lowercased() else { return .failure(.empty) }
        let arguments = Array(words.dropFirst())
        let rest = arguments.joined(separator: " ")
        func participant(_ make: (String) -> RoomAction) -> Result<RoomCommand, RoomCommandError> {
            guard let word = arguments.first else { return .failure(.needsParticipant(name)) }
            return .success(.perform(make(resolve(word))))
        }
        func onOff(_ toggle: RoomCommand, on: RoomAction, off: RoomAction) -> Result<RoomCommand, RoomCommandError> {
            switch arguments.first?.lowercased() {
            case nil: .success(toggle)
            case "on", "start": .success(.perform(on))
            case "off", "stop": .success(.perform(off))
            default: .failure(.needsOnOrOff(name))
            }
        }
        switch name {
        case "raise": return .success(.perform(.raiseHand))
        case "lower": return .success(.perform(.lowerHand(userId: arguments.first.map(resolve))))
        case "lowerall", "lower-all": return .success(.perform(.lowerAllHands))
        case "lock": return .success(.perform(.lock))
        case "unlock": return .success(.perform(.unlock))
        case "promote": return participant { .promote($0) }
        case "demote": return participant { .demote($0) }
        case "remove", "kick": return participant { .remove($0) }
        case "readmit":
            guard let userId = arguments.first else { return .failure(.needsParticipant(name)) }
            return .success(.perform(.readmit(userId)))
        case "record", "rec": return onOff(.toggleRecording, on: .startRecording, off: .stopRecording)
        case "screen", "share-screen": return onOff(.toggleScreenshare, on: .startScreenshare, off: .stopScreenshare)
        case "share", "link": return link(rest).map { .perform($0) }
        case "music":
            if rest.isEmpty || rest.lowercased() == "stop" || rest.lowercased() == "off" { return .success(.perform(.stopMusic)) }
            return .success(.perform(.startMusic(track: rest, volume: nil)))
        case "volume", "vol":
            guard arguments.count == 1, let volume = Int(rest), (0...100).contains(volume) else { return .failure(.needsVolume(name)) }
            return .success(.perform(.setVolume(volume)))
        case "say", "msg", "chat":
            return rest.allSatisfy(\.isWhitespace) ? .failure(.needsText(name)) : .success(.perform(.sendMessage(rest)))
        case "end": return .success(.perform(.end))
        case "help": return .success(.help)
        case "quit", "q", "leave": return .success(.quit)
        default: return .failure(.unknown(name))
        }
    }

    /// `URL [title]` or `title URL`: the first word starting with `http://` or `https://` is the
    /// link, the other words its title (the link itself when there are none).
    public static func link(_ line: String) -> Result<RoomAction, RoomCommandError> {
        let words = line.split(separator: " ").map(String.init)
        guard let url = words.first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
            return .failure(.notALink)
        }
        let title = words.filter { $0 != url }.joined(separator: " ")
        return .success(.shareResource(title: title.isEmpty ? url : title, url: url))
    }
}

/// Why a command line is not a command: a usage error, said in the words of where it was typed.
public enum RoomCommandError: Error, Sendable, Hashable {
    case empty
    case unknown(String)
    case needsParticipant(String)
    case needsText(String)
    case needsVolume(String)
    case needsOnOrOff(String)
    case notALink

    /// Where the command was typed: how commands are written in the message.
    public enum Style: Sendable {
        /// The TUI's `:` prompt: `:promote <name or id>`.
        case prompt
        /// The command line: `meet promote <name or id> <meeting>`.
        case oneShot
    }

    /// A sentence a person can act on.
    public func message(_ style: Style) -> String {
        func usage(_ name: String, _ arguments: String) -> String {
            switch style {
            case .prompt: ":\(name)" + (arguments.isEmpty ? "" : " \(arguments)")
            case .oneShot: "meet \(name)" + (arguments.isEmpty ? "" : " \(arguments)") + " <meeting>"
            }
        }
        let written = { (name: String) in style == .prompt ? ":\(name)" : "meet \(name)" }
        switch self {
        case .empty: return style == .prompt ? "Type a command; press ? for the list." : "Name a command; see meet --help."
        case .unknown(let name):
            return style == .prompt ? "Unknown command :\(name); press ? for the list." : "Unknown command \(name); see meet --help."
        case .needsParticipant(let name): return "\(written(name)) needs a participant: \(usage(name, "<name or id>"))"
        case .needsText(let name): return "\(written(name)) needs some text: \(usage(name, "<text>"))"
        case .needsVolume(let name): return "\(written(name)) takes a number from 0 to 100."
        case .needsOnOrOff(let name): return "\(written(name)) takes on or off: \(usage(name, style == .prompt ? "[on|off]" : "on|off"))"
        case .notALink: return "A link must start with http:// or https://."
        }
    }
}

extension RoomState {
    /// The user id a word names: a participant's user id, else the first participant whose name
    /// it is (case-insensitive), else the word itself (the server then says who is unknown).
    public func resolveParticipant(_ word: String) -> String {
        if participant(word) != nil { return word }
        return meeting.participants.first { $0.name.lowercased() == word.lowercased() }?.userId ?? word
    }
}
