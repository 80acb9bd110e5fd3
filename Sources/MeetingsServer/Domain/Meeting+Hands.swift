import MeetingsContract

extension Meeting {
    /// Raises the caller's hand at the end of the queue (idempotent).
    public mutating func raiseHand(_ caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireParticipant(caller)
        if handPosition(caller.userId) != nil { return [] }
        hands.append(Hand(userId: caller.userId, raisedAt: now))
        return [record(.handRaised(userId: caller.userId, raisedAt: now, position: hands.count), at: now)]
    }

    /// Lowers a hand: one's own as a participant, anyone's as a host. A hand that is down is a no-op.
    public mutating func lowerHand(of userId: String? = nil, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        let target = userId ?? caller.userId
        if target == caller.userId {
            try requireParticipant(caller)
        } else {
            try requireHost(caller)
        }
        guard let index = hands.firstIndex(where: { $0.userId == target }) else {
            if target != caller.userId && !isParticipant(target) { throw .participantNotFound(target) }
            return []
        }
        hands.remove(at: index)
        return [record(.handLowered(userId: target, by: caller.userId), at: now)]
    }

    /// A host lowers every hand, one event per hand in queue order.
    public mutating func lowerAllHands(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        return lowerEveryHand(by: caller.userId, at: now)
    }

    mutating func lowerEveryHand(by: String, at now: Timestamp) -> [MeetingEvent] {
        let queue = hands
        hands = []
        return queue.map { record(.handLowered(userId: $0.userId, by: by), at: now) }
    }
}
