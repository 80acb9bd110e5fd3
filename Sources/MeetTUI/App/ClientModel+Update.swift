import MeetingsServer
import SocketIOProtocol

extension ClientModel {
    /// The reducer: applies a message and returns the effects for the runtime.
    public mutating func update(_ message: ClientMessage) -> [ClientEffect] {
        switch message {
        case .snapshot(let json):
            return receiveSnapshot(json)
        case .event(let name, let payload):
            return receiveEvent(name, payload)
        case .connection(let status):
            let wasConnected = connection.isConnected
            connection = status
            if status.isConnected {
                defer { hasConnected = true }
                // The first connection joins the room as it opens (LiveRoom); a reconnect must again.
                if !wasConnected && hasConnected && room != nil {
                    awaitingSnapshot = true
                    return [.joinRoom]
                }
            } else {
                stale = true
            }
            return []
        case .recovered:
            return resumeAfterRecovery()
        case .roundTrip(let milliseconds):
            roundTrip = milliseconds
            return []
        case .tick(let time):
            now = time
            return []
        case .failed(let text):
            say(text, error: true)
            return []
        case .done(let action):
            if case .leave = action { return [.quit(leave: false)] }
            return []
        case .key(let key):
            return press(key)
        case .activity(let text):
            log(ActivityEntry(at: now, text: text, kind: .alert))
            return []
        case .viewport(let rows):
            activityRows = rows
            activityScroll = min(activityScroll, maximumActivityScroll)
            return []
        }
    }

    // MARK: Room

    private mutating func receiveSnapshot(_ json: JSONValue) -> [ClientEffect] {
        do {
            let fresh = try RoomState(snapshot: json)
            // A snapshot older than what the events already built (a re-join's, after a
            // recovered reconnect, overtaken by a live event) would take the room back.
            if let current = room, !awaitingSnapshot, fresh.seq < current.seq { return [] }
            room = fresh
            awaitingSnapshot = false
            stale = !connection.isConnected
            keepSelectionValid()
            // Events that came while the snapshot was on its way.
            let waiting = pending.sorted { $0.seq < $1.seq }
            pending = []
            var effects: [ClientEffect] = []
            for event in waiting where event.seq > fresh.seq {
                effects += receiveEvent(event.name, event.payload)
            }
            return effects
        } catch {
            say("The server sent a snapshot this client cannot read: \(error)", error: true)
            return []
        }
    }

    /// The server gave the socket back with what it missed (connection state recovery): the
    /// events held while the snapshot was awaited are applied in order instead. The re-join
    /// already asked for still comes (presence needs it), and its snapshot changes nothing that
    /// the events did not; a gap among the events still fetches a snapshot.
    private mutating func resumeAfterRecovery() -> [ClientEffect] {
        guard awaitingSnapshot, room != nil else { return [] }
        awaitingSnapshot = false
        stale = !connection.isConnected
        let waiting = pending.sorted { $0.seq < $1.seq }
        pending = []
        var effects: [ClientEffect] = []
        for event in waiting { effects += receiveEvent(event.name, event.payload) }
        return effects
    }

    private mutating func receiveEvent(_ name: String, _ payload: JSONValue) -> [ClientEffect] {
        guard let seq = payload["seq"]?.intValue else {
            if name == "error", let text = payload["message"]?.stringValue { say(text, error: true) }
            return []
        }
        guard var current = room, !awaitingSnapshot else {
            if pending.count < 1000 { pending.append((name, payload, seq)) }
            return []
        }
        if seq <= current.seq { return [] }
        if seq > current.seq + 1 {
            // A gap: something was missed. The snapshot will have it.
            awaitingSnapshot = true
            stale = true
            pending = [(name, payload, seq)]
            return [.fetchSnapshot]
        }
        let handsBefore = current.hands.count
        let entry: ActivityEntry?
        do {
            entry = try current.apply(event: name, payload: payload)
            if let entry { log(entry) }
        } catch {
            // An event this client cannot read: the snapshot will have its effect.
            awaitingSnapshot = true
            stale = true
            return [.fetchSnapshot]
        }
        room = current
        var effects: [ClientEffect] = [.notice(RoomNotice.of(name, payload: payload, entry: entry, in: current))]
        switch name {
        case "meeting:hand-raised" where current.hands.count > handsBefore && isHost && options.bell && payload["userId"]?.stringValue != me:
            effects.append(.bell)
        case "meeting:participant-left" where payload["userId"]?.stringValue == me:
            let reason = payload["reason"]?.stringValue
            say(reason == "removed" ? "A host removed you from the meeting. Press q to quit." : reason == "timeout" ? "You were offline too long and left the meeting. Press q to quit." : "You left the meeting.", error: reason != "left")
        case "meeting:ended":
            say("The meeting has ended. Press q to quit.", error: true)
        default:
            break
        }
        keepSelectionValid()
        return effects
    }

    mutating func keepSelectionValid() {
        let ids = visibleParticipants.map(\.userId)
        if let selected, ids.contains(selected) { return }
        selected = ids.first
    }
}
