extension MeetingState {
    /// Moves the state by one event: the one fold of the contract. The server's next snapshot
    /// is this fold of the events an action emitted (a property test checks it over random
    /// action sequences); a client keeps its copy current with it.
    ///
    /// The event's `seq` becomes the state's; whether it is the next one is the caller's
    /// question (a gap means something was missed, and only a fresh snapshot has it).
    public mutating func apply(_ event: MeetingEvent) {
        seq = event.seq
        switch event.kind {
        case .participantJoined(let participant):
            participants.removeAll { $0.userId == participant.userId }
            participants.append(participant)
        case .participantLeft(let userId, _, _):
            participants.removeAll { $0.userId == userId }
            hands.removeAll { $0.userId == userId }
            if screenshare?.userId == userId { screenshare = nil }
        case .presenceUpdated(let userId, let online):
            updateParticipant(userId) { $0.online = online }
        case .handRaised(let userId, let raisedAt, _):
            if handPosition(userId) == nil { hands.append(Hand(userId: userId, raisedAt: raisedAt)) }
        case .handLowered(let userId, _):
            hands.removeAll { $0.userId == userId }
        case .musicStarted(let track, let volume, let by):
            music = Music(track: track, volume: volume, startedBy: by, startedAt: event.at)
        case .musicStopped:
            music = nil
        case .musicVolumeUpdated(let volume, _):
            music?.volume = volume
        case .recordingStarted(let by, let startedAt):
            recording = Recording(startedBy: by, startedAt: startedAt)
        case .recordingStopped:
            recording = nil
        case .screenshareStarted(let userId):
            screenshare = Screenshare(userId: userId, startedAt: event.at)
        case .screenshareStopped:
            screenshare = nil
        case .resourceShared(let resource):
            resources.append(resource)
        case .locked:
            locked = true
        case .unlocked:
            locked = false
        case .hostPromoted(let userId, _):
            updateParticipant(userId) { $0.role = .host }
        case .hostDemoted(let userId, _):
            updateParticipant(userId) { $0.role = .participant }
        case .message(let message):
            messages.append(message)
            if messages.count > MeetingLimits.messagesKept { messages.removeFirst(messages.count - MeetingLimits.messagesKept) }
        case .ended:
            ended = true
            participants = []
            hands = []
            music = nil
            recording = nil
            screenshare = nil
        }
    }

    private mutating func updateParticipant(_ userId: String, _ change: (inout ParticipantView) -> Void) {
        guard let index = participants.firstIndex(where: { $0.userId == userId }) else { return }
        change(&participants[index])
    }
}
