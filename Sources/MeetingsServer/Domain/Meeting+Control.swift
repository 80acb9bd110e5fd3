import MeetingsContract

extension Meeting {
    /// A host locks the meeting: only hosts and participants may join.
    public mutating func lock(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        if locked { return [] }
        locked = true
        return [record(.locked(by: caller.userId), at: now)]
    }

    /// A host unlocks the meeting.
    public mutating func unlock(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        if !locked { return [] }
        locked = false
        return [record(.unlocked(by: caller.userId), at: now)]
    }

    /// A host makes a participant a host.
    public mutating func promote(_ userId: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        guard isParticipant(userId) else { throw .participantNotFound(userId) }
        if isHost(userId) { return [] }
        hosts.append(userId)
        return [record(.hostPromoted(userId: userId, by: caller.userId), at: now)]
    }

    /// A host takes host rights away (their own included), never from the last host.
    public mutating func demote(_ userId: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        guard isHost(userId) else {
            if isParticipant(userId) { return [] }
            throw .participantNotFound(userId)
        }
        guard hosts.count > 1 else {
            throw MeetingError(.conflict, "\(userId) is the last host; promote someone else first.")
        }
        hosts.removeAll { $0 == userId }
        return [record(.hostDemoted(userId: userId, by: caller.userId), at: now)]
    }

    /// A host ends the meeting for everyone: music, recording, screenshare and hands stop (each
    /// with its event), every participant leaves (reason `ended`), then `meeting:ended`.
    /// Afterwards the meeting is read-only.
    public mutating func end(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        var events: [MeetingEvent] = []
        events += try stopMusic(by: caller, at: now)
        events += try stopRecording(by: caller, at: now)
        events += try stopScreenshare(by: caller, at: now)
        events += lowerEveryHand(by: caller.userId, at: now)
        for participant in participants {
            events += depart(participant.userId, reason: .ended, by: caller.userId, at: now)
        }
        ended = true
        events.append(record(.ended(by: caller.userId), at: now))
        return events
    }
}
