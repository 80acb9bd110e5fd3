import MeetingsContract

extension RoomState {
    /// Applies one live event (its `seq` already checked to be the next) with the contract's
    /// fold, and describes it for the activity log.
    public mutating func apply(_ event: MeetingEvent) -> ActivityEntry? {
        // Names are read before the fold: who left is still in the room.
        func name(_ userId: String) -> String { self.name(of: userId) }
        let by = event.actor.map(name) ?? "?"
        func line(_ text: String, _ kind: ActivityEntry.Kind = .event) -> ActivityEntry { ActivityEntry(at: event.at, text: text, kind: kind) }
        let entry: ActivityEntry?
        switch event.kind {
        case .participantJoined(let participant):
            names[participant.userId] = participant.name
            entry = line("\(participant.name) joined")
        case .participantLeft(let userId, let reason, _):
            switch reason {
            case .removed: entry = line("\(name(userId)) was removed by \(by)", .alert)
            case .timeout: entry = line("\(name(userId)) left (connection lost)")
            case .ended: entry = nil
            case .left: entry = line("\(name(userId)) left")
            }
        case .presenceUpdated(let userId, let online):
            // Connecting right after joining is not news.
            if let person = participant(userId), !(online && event.at.milliseconds - person.joinedAt.milliseconds < 10_000) {
                entry = line(online ? "\(name(userId)) is back online" : "\(name(userId)) went offline")
            } else {
                entry = nil
            }
        case .handRaised(let userId, _, _):
            meeting.apply(event)
            return line("\(name(userId)) raised a hand (#\(handPosition(userId) ?? meeting.hands.count))")
        case .handLowered(let userId, let actor):
            entry = line(actor == userId ? "\(name(userId)) lowered their hand" : "\(by) lowered \(name(userId))'s hand")
        case .musicStarted(let track, _, _):
            entry = line("\(by) started music: \(track)")
        case .musicStopped:
            entry = line("\(by) stopped the music")
        case .musicVolumeUpdated(let volume, _):
            entry = line("\(by) set the volume to \(volume)")
        case .recordingStarted:
            entry = line("\(by) started recording", .alert)
        case .recordingStopped:
            entry = line("\(by) stopped recording")
        case .screenshareStarted(let userId):
            entry = line("\(name(userId)) is sharing their screen")
        case .screenshareStopped(let userId, let actor):
            entry = line(actor == userId ? "\(name(userId)) stopped sharing" : "\(by) stopped \(name(userId))'s screenshare")
        case .resourceShared(let resource):
            entry = line("\(name(resource.sharedBy)) shared \(resource.title): \(resource.url)")
        case .locked:
            entry = line("\(by) locked the meeting")
        case .unlocked:
            entry = line("\(by) unlocked the meeting")
        case .hostPromoted(let userId, _):
            entry = line("\(by) made \(name(userId)) a host")
        case .hostDemoted(let userId, _):
            entry = line("\(by) removed \(name(userId))'s host rights")
        case .message(let message):
            if names[message.userId] == nil { names[message.userId] = message.name }
            entry = line("<\(message.name)> \(message.text)", .chat)
        case .ended:
            entry = line("\(by) ended the meeting", .alert)
        }
        meeting.apply(event)
        return entry
    }
}
