import Foundation
import MeetingsContract

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
            if prompt == .filter { setFilter("") }
            return []
        case .backspace:
            mode = .input(prompt, text: String(text.dropLast()))
            if prompt == .filter { setFilter(String(text.dropLast())) }
            return []
        case .enter:
            mode = .normal
            let line = text.trimmingCharacters(in: .whitespaces)
            if prompt == .filter {
                setFilter(line)
                if !line.isEmpty && visibleParticipants.isEmpty { say("No participant's name contains \"\(line)\"; Esc clears the filter.", error: true) }
                return []
            }
            guard !line.isEmpty else { return [] }
            switch prompt {
            case .chat: return [.perform(.sendMessage(line))]
            case .command: return runCommand(line)
            case .resource: return shareLink(line)
            case .music: return [.perform(.startMusic(track: line, volume: nil))]
            case .filter: return []
            }
        case .character(let character):
            guard text.count < 2000 else { return [] }
            mode = .input(prompt, text: text + String(character))
            if prompt == .filter { setFilter(text + String(character)) }
            return []
        case .up, .down:
            // The roster can be walked while a filter is typed.
            if prompt == .filter { moveSelection(key == .up ? -1 : 1) }
            return []
        case .pageUp, .pageDown, .resize:
            return []
        }
    }

    private mutating func normalKey(_ key: Key) -> [ClientEffect] {
        status = nil
        switch key {
        case .up: moveSelection(-1)
        case .down: moveSelection(1)
        case .enter: mode = .input(.chat, text: "")
        case .pageUp: scrollActivity(by: Self.activityPage)
        case .pageDown: scrollActivity(by: -Self.activityPage)
        case .escape:
            if !filter.isEmpty { setFilter("") }
        case .character(let character):
            guard let action = options.keys.action(for: character) else { return [] }
            if action.isHostAction {
                guard isHost else {
                    say("'\(character)' is a host key; ask a host.", error: true)
                    return []
                }
                return hostKey(action)
            }
            return perform(action)
        case .backspace, .resize:
            break
        }
        return []
    }

    /// An action everyone has.
    private mutating func perform(_ action: KeyMap.Action) -> [ClientEffect] {
        switch action {
        case .up: moveSelection(-1)
        case .down: moveSelection(1)
        case .chat: mode = .input(.chat, text: "")
        case .command: mode = .input(.command, text: "")
        case .filter: mode = .input(.filter, text: filter)
        case .help: mode = .help
        case .quit: return [.quit(leave: true)]
        case .hand: return [.perform(room?.handPosition(me) == nil ? .raiseHand : .lowerHand(userId: nil))]
        case .screen: return [.perform(screenshareToggle)]
        case .link: mode = .input(.resource, text: "")
        default: break
        }
        return []
    }

    /// Lines that PgUp and PgDn move the activity by.
    static let activityPage = 10

    private mutating func hostKey(_ action: KeyMap.Action) -> [ClientEffect] {
        guard let room else { return [] }
        switch action {
        case .lock: return [.perform(room.locked ? .unlock : .lock)]
        case .promote: return selected.map { [.perform(.promote($0))] } ?? []
        case .demote: return selected.map { [.perform(.demote($0))] } ?? []
        case .lowerHand:
            guard let selected, room.handPosition(selected) != nil else {
                say("The selected participant's hand is not raised.", error: true)
                return []
            }
            return [.perform(.lowerHand(userId: selected))]
        case .lowerAll:
            guard !room.hands.isEmpty else { return [] }
            mode = .confirm(.lowerAll)
        case .nextSpeaker:
            // Lowers hand #1 and selects the next in the queue, who speaks next.
            guard let first = room.hands.first else {
                say("No hands are raised.")
                return []
            }
            if room.hands.count > 1 {
                selected = room.hands[1].userId
                if !visibleParticipants.contains(where: { $0.userId == selected }) { setFilter("") }
            }
            say("\(room.name(of: first.userId)) has spoken\(room.hands.count > 1 ? "; next: \(room.name(of: room.hands[1].userId))" : "; no more hands").")
            return [.perform(.lowerHand(userId: first.userId))]
        case .remove:
            guard let selected, selected != me else {
                say("Select someone else to remove (\(options.keys.key(.down))/\(options.keys.key(.up))).", error: true)
                return []
            }
            mode = .confirm(.remove(userId: selected))
        case .record: return [.perform(recordingToggle)]
        case .music:
            if room.music != nil { return [.perform(.stopMusic)] }
            mode = .input(.music, text: "")
        case .volumeUp, .volumeDown:
            guard let music = room.music else {
                say("No music is playing; press \(options.keys.key(.music)) to start some.", error: true)
                return []
            }
            let volume = min(100, max(0, music.volume + (action == .volumeUp ? 10 : -10)))
            return volume == music.volume ? [] : [.perform(.setVolume(volume))]
        case .end: mode = .confirm(.end)
        default: break
        }
        return []
    }

    private mutating func moveSelection(_ step: Int) {
        let ids = visibleParticipants.map(\.userId)
        guard !ids.isEmpty else { return }
        let index = selected.flatMap { ids.firstIndex(of: $0) } ?? 0
        selected = ids[min(ids.count - 1, max(0, index + step))]
    }

    /// Shows only participants whose name (or id) contains `text`, case-insensitively, and keeps
    /// the selection among them.
    mutating func setFilter(_ text: String) {
        filter = text
        let ids = visibleParticipants.map(\.userId)
        if let selected, ids.contains(selected) { return }
        // Nothing selected when nothing matches: a host key must not act on someone hidden.
        selected = ids.first
    }

    /// PgUp (positive) looks further back; the view never passes the oldest line or the newest.
    private mutating func scrollActivity(by lines: Int) {
        activityScroll = min(maximumActivityScroll, max(0, activityScroll + lines))
    }

    /// `URL [title]` or `title URL`.
    private mutating func shareLink(_ line: String) -> [ClientEffect] {
        switch RoomCommand.link(line) {
        case .success(let action): return [.perform(action)]
        case .failure(let error):
            say(error.message(.prompt), error: true)
            return []
        }
    }

    /// The `:` command line (the commands of `RoomCommand`, shared with the one-shot `meet <command>`).
    mutating func runCommand(_ line: String) -> [ClientEffect] {
        let words = line.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return [] }
        switch RoomCommand.parse(words, resolve: { resolveUser($0) }) {
        case .failure(let error): say(error.message(.prompt), error: true)
        case .success(.perform(.end)): mode = .confirm(.end)
        case .success(.perform(let action)): return [.perform(action)]
        case .success(.toggleRecording): return [.perform(recordingToggle)]
        case .success(.toggleScreenshare): return [.perform(screenshareToggle)]
        case .success(.help): mode = .help
        case .success(.quit): return [.quit(leave: true)]
        }
        return []
    }

    /// Start sharing your screen, or stop when you share it.
    var screenshareToggle: RoomAction { room?.screenshare?.userId == me ? .stopScreenshare : .startScreenshare }

    /// Start recording, or stop when the meeting is being recorded.
    var recordingToggle: RoomAction { room?.recording == nil ? .startRecording : .stopRecording }

    /// A participant by user id or (case-insensitive) name.
    func resolveUser(_ word: String) -> String {
        room?.resolveParticipant(word) ?? word
    }
}
