import Foundation
import MeetingsServer

extension ClientModel {
    /// One key, in the current mode.
    mutating func press(_ key: Key) -> [ClientEffect] {
        switch mode {
        case .help:
            mode = .normal
            return []
        case .confirm(let confirmation):
            mode = .normal
            if key == .character("y") || key == .character("Y") { return [.perform(confirmation.action)] }
            say("Cancelled.")
            return []
        case .input(let prompt, let text):
            return type(key, into: prompt, text: text)
        case .normal:
            return normalKey(key)
        }
    }

    private mutating func type(_ key: Key, into prompt: Prompt, text: String) -> [ClientEffect] {
        switch key {
        case .escape:
            mode = .normal
            return []
        case .backspace:
            mode = .input(prompt, text: String(text.dropLast()))
            return []
        case .enter:
            mode = .normal
            let line = text.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return [] }
            switch prompt {
            case .chat: return [.perform(.sendMessage(line))]
            case .command: return runCommand(line)
            case .resource: return shareLink(line)
            case .music: return [.perform(.startMusic(track: line, volume: nil))]
            }
        case .character(let character):
            if text.count < 2000 { mode = .input(prompt, text: text + String(character)) }
            return []
        case .up, .down, .resize:
            return []
        }
    }

    private mutating func normalKey(_ key: Key) -> [ClientEffect] {
        status = nil
        switch key {
        case .up, .character("k"): moveSelection(-1)
        case .down, .character("j"): moveSelection(1)
        case .enter, .character("c"): mode = .input(.chat, text: "")
        case .character(":"): mode = .input(.command, text: "")
        case .character("?"): mode = .help
        case .character("q"): return [.quit(leave: true)]
        case .character("h"):
            return [.perform(room?.handPosition(me) == nil ? .raiseHand : .lowerHand(userId: nil))]
        case .character("s"):
            return [.perform(room?.screenshare?.userId == me ? .stopScreenshare : .startScreenshare)]
        case .character("u"): mode = .input(.resource, text: "")
        case .character(let character) where Self.hostKeys.contains(character):
            guard isHost else {
                say("'\(character)' is a host key; ask a host.", error: true)
                return []
            }
            return hostKey(character)
        default: break
        }
        return []
    }

    /// Keys that only hosts have.
    static let hostKeys: Set<Character> = ["L", "p", "d", "x", "X", "K", "r", "m", "+", "-", "E"]

    private mutating func hostKey(_ character: Character) -> [ClientEffect] {
        guard let room else { return [] }
        switch character {
        case "L": return [.perform(room.locked ? .unlock : .lock)]
        case "p": return selected.map { [.perform(.promote($0))] } ?? []
        case "d": return selected.map { [.perform(.demote($0))] } ?? []
        case "x":
            guard let selected, room.handPosition(selected) != nil else {
                say("The selected participant's hand is not raised.", error: true)
                return []
            }
            return [.perform(.lowerHand(userId: selected))]
        case "X":
            guard !room.hands.isEmpty else { return [] }
            mode = .confirm(.lowerAll)
        case "K":
            guard let selected, selected != me else {
                say("Select someone else to remove (j/k).", error: true)
                return []
            }
            mode = .confirm(.remove(userId: selected))
        case "r": return [.perform(room.recording == nil ? .startRecording : .stopRecording)]
        case "m":
            if room.music != nil { return [.perform(.stopMusic)] }
            mode = .input(.music, text: "")
        case "+", "-":
            guard let music = room.music else {
                say("No music is playing; press m to start some.", error: true)
                return []
            }
            let volume = min(100, max(0, music.volume + (character == "+" ? 10 : -10)))
            return volume == music.volume ? [] : [.perform(.setVolume(volume))]
        case "E": mode = .confirm(.end)
        default: break
        }
        return []
    }

    private mutating func moveSelection(_ step: Int) {
        let ids = orderedParticipants.map(\.userId)
        guard !ids.isEmpty else { return }
        let index = selected.flatMap { ids.firstIndex(of: $0) } ?? 0
        selected = ids[min(ids.count - 1, max(0, index + step))]
    }

    /// `URL [title]` or `title URL`.
    private mutating func shareLink(_ line: String) -> [ClientEffect] {
        let words = line.split(separator: " ").map(String.init)
        guard let url = words.first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
            say("A link must start with http:// or https://.", error: true)
            return []
        }
        let title = words.filter { $0 != url }.joined(separator: " ")
        return [.perform(.shareResource(title: title.isEmpty ? url : title, url: url))]
    }

    /// The `:` command line.
    mutating func runCommand(_ line: String) -> [ClientEffect] {
        let words = line.split(separator: " ").map(String.init)
        guard let command = words.first?.lowercased() else { return [] }
        let rest = words.dropFirst().joined(separator: " ")
        let target = words.count > 1 ? resolveUser(words[1]) : nil
        func needsTarget(_ make: (String) -> RoomAction) -> [ClientEffect] {
            guard let target else {
                say(":\(command) needs a participant: :\(command) <name or id>", error: true)
                return []
            }
            return [.perform(make(target))]
        }
        switch command {
        case "raise": return [.perform(.raiseHand)]
        case "lower": return [.perform(.lowerHand(userId: target))]
        case "lowerall", "lower-all": return [.perform(.lowerAllHands)]
        case "lock": return [.perform(.lock)]
        case "unlock": return [.perform(.unlock)]
        case "promote": return needsTarget { .promote($0) }
        case "demote": return needsTarget { .demote($0) }
        case "remove", "kick": return needsTarget { .remove($0) }
        case "readmit": return words.count > 1 ? [.perform(.readmit(words[1]))] : needsTarget { .readmit($0) }
        case "record", "rec":
            return [.perform(words.dropFirst().first == "off" || (words.count == 1 && room?.recording != nil) ? .stopRecording : .startRecording)]
        case "screen", "share-screen":
            return [.perform(words.dropFirst().first == "off" || (words.count == 1 && room?.screenshare?.userId == me) ? .stopScreenshare : .startScreenshare)]
        case "share", "link": return shareLink(rest)
        case "music":
            if rest.isEmpty || rest == "stop" || rest == "off" { return [.perform(.stopMusic)] }
            return [.perform(.startMusic(track: rest, volume: nil))]
        case "volume", "vol":
            guard let volume = Int(rest), (0...100).contains(volume) else {
                say(":volume takes a number from 0 to 100.", error: true)
                return []
            }
            return [.perform(.setVolume(volume))]
        case "say", "msg", "chat": return rest.isEmpty ? [] : [.perform(.sendMessage(rest))]
        case "end": mode = .confirm(.end)
        case "help": mode = .help
        case "quit", "q", "leave": return [.quit(leave: true)]
        default: say("Unknown command :\(command); press ? for the list.", error: true)
        }
        return []
    }

    /// A participant by user id or (case-insensitive) name.
    func resolveUser(_ word: String) -> String? {
        guard let room else { return word }
        if room.participant(word) != nil { return word }
        return room.participants.first { $0.name.lowercased() == word.lowercased() }?.userId ?? word
    }
}
