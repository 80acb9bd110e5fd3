import MeetingsContract

extension ClientModel {
    /// The reducer: applies a message and returns the effects for the runtime.
    public mutating func update(_ message: ClientMessage) -> [ClientEffect] {
        switch message {
        case .snapshot(let state):
            return receiveSnapshot(state)
        case .event(let event):
            return receiveEvent(event)
        case .unreadableEvent(let reason):
            // What it changed is only in a fresh snapshot.
            say("The server sent an event this client cannot read (\(reason)); fetching the meeting again.", error: true)
            awaitingSnapshot = true
            stale = true
            return [.fetchSnapshot]
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

    private mutating func receiveSnapshot(_ snapshot: MeetingState) -> [ClientEffect] {
        // A snapshot older than what the events already built (a re-join's, after a
        // recovered reconnect, overtaken by a live event) would take the room back.
        if let current = room, !awaitingSnapshot, snapshot.seq < current.seq { return [] }
        var fresh = RoomState(snapshot)
        // Keep the names of people seen before, who may have left since.
        if let current = room { fresh.names.merge(current.names) { latest, _ in latest } }
        room = fresh
        awaitingSnapshot = false
        stale = !connection.isConnected
        keepSelectionValid()
        // Events that came while the snapshot was on its way.
        let waiting = pending.sorted { $0.seq < $1.seq }
        pending = []
        var effects: [ClientEffect] = []
        for event in waiting where event.seq > snapshot.seq {
            effects += receiveEvent(event)
        }
        return effects
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
        for event in waiting { effects += receiveEvent(event) }
        return effects
    }

    private mutating func receiveEvent(_ event: MeetingEvent) -> [ClientEffect] {
        guard var current = room, !awaitingSnapshot else {
            if pending.count < 1000 { pending.append(event) }
            return []
        }
        if event.seq <= current.seq { return [] }
        if event.seq > current.seq + 1 {
            // A gap: something was missed. The snapshot will have it.
            awaitingSnapshot = true
            stale = true
            pending = [event]
            return [.fetchSnapshot]
        }
        let handsBefore = current.hands.count
        let entry = current.apply(event)
        if let entry { log(entry) }
        room = current
        var effects: [ClientEffect] = [.notice(RoomNotice.of(event, entry: entry, in: current))]
        switch event.kind {
        case .handRaised(let userId, _, _) where current.hands.count > handsBefore && isHost && options.bell && userId != me:
            effects.append(.bell)
        case .participantLeft(me, let reason, _):
            switch reason {
            case .removed: say("A host removed you from the meeting. Press q to quit.", error: true)
            case .timeout: say("You were offline too long and left the meeting. Press q to quit.", error: true)
            case .left, .ended: say("You left the meeting.", error: reason != .left)
            }
        case .ended:
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
