import MeetingsContract

extension Meeting {
    /// REST join: `423` when locked (hosts and existing participants excepted), `403` when
    /// removed, idempotent. A participant none of whose sockets is subscribed starts their grace
    /// period now, so one who never connects does not stay forever.
    public mutating func join(_ caller: Caller, at now: Timestamp, grace: Duration) throws(MeetingError) -> [MeetingEvent] {
        try requireOpen()
        if isParticipant(caller.userId) { return [] }
        if isRemoved(caller.userId) {
            throw MeetingError(.removed, "A host removed you from this meeting; ask a host to readmit you.")
        }
        if locked && !isHost(caller.userId) {
            throw MeetingError(.meetingLocked, "The meeting is locked; ask a host to unlock it.")
        }
        let participant = Participant(
            userId: caller.userId, name: caller.name, joinedAt: now,
            graceDeadline: isOnline(caller.userId) ? nil : now.adding(grace)
        )
        participants.append(participant)
        return [record(.participantJoined(view(of: participant)), at: now)]
    }

    /// REST leave: lowers the caller's hand and stops their screenshare first, then they leave.
    public mutating func leave(_ caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireParticipant(caller)
        return depart(caller.userId, reason: .left, by: caller.userId, at: now)
    }

    /// A host removes a participant: a host is demoted first (`409` for the last host), then it
    /// is the same as leaving with reason `removed`; they cannot join again until readmitted.
    public mutating func remove(_ userId: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        guard isParticipant(userId) else { throw .participantNotFound(userId) }
        var events: [MeetingEvent] = []
        if isHost(userId) {
            events += try demote(userId, by: caller, at: now)
        }
        events += depart(userId, reason: .removed, by: caller.userId, at: now)
        removed.append(userId)
        removed.sort()
        subscriptions.removeAll { $0.userId == userId }
        return events
    }

    /// A host lets a removed user join again; no event.
    public mutating func readmit(_ userId: String, by caller: Caller) throws(MeetingError) {
        try requireHost(caller)
        removed.removeAll { $0 == userId }
    }

    /// Takes a participant out: hand, screenshare, then the participant, each with its event.
    mutating func depart(_ userId: String, reason: LeaveReason, by: String, at now: Timestamp) -> [MeetingEvent] {
        var events: [MeetingEvent] = []
        if let index = hands.firstIndex(where: { $0.userId == userId }) {
            hands.remove(at: index)
            events.append(record(.handLowered(userId: userId, by: by), at: now))
        }
        if screenshare?.userId == userId {
            screenshare = nil
            events.append(record(.screenshareStopped(userId: userId, by: by), at: now))
        }
        participants.removeAll { $0.userId == userId }
        let shownBy = reason == .removed ? by : nil
        events.append(record(.participantLeft(userId: userId, reason: reason, by: shownBy), at: now))
        return events
    }
}
