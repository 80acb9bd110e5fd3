import MeetingsContract

extension Meeting {
    /// A socket subscribed to the room. A participant with no socket before comes online.
    public mutating func subscribe(socketId: String, userId: String, node: String = "", at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        if subscriptions.contains(where: { $0.socketId == socketId }) { return [] }
        guard subscriptions.count < Self.subscriptionsKept else {
            throw MeetingError(.conflict, "The meeting has \(Self.subscriptionsKept) connections, the most it takes.")
        }
        let wasOnline = isOnline(userId)
        subscriptions.append(Subscription(socketId: socketId, userId: userId, node: node))
        guard !wasOnline, let index = participants.firstIndex(where: { $0.userId == userId }) else { return [] }
        participants[index].graceDeadline = nil
        return [record(.presenceUpdated(userId: userId, online: true), at: now)]
    }

    /// A socket left the room or disconnected. A participant with no socket left goes offline
    /// and has `grace` to come back before they leave with reason `timeout`.
    public mutating func unsubscribe(socketId: String, at now: Timestamp, grace: Duration) -> [MeetingEvent] {
        guard let index = subscriptions.firstIndex(where: { $0.socketId == socketId }) else { return [] }
        let userId = subscriptions.remove(at: index).userId
        guard !isOnline(userId), let position = participants.firstIndex(where: { $0.userId == userId }) else { return [] }
        participants[position].graceDeadline = now.adding(grace)
        return [record(.presenceUpdated(userId: userId, online: false), at: now)]
    }

    /// A server node died: its sockets are gone. Each participant left with no socket goes
    /// offline (once) and has `grace` to come back through another node.
    public mutating func dropNode(_ node: String, at now: Timestamp, grace: Duration) -> [MeetingEvent] {
        subscriptions.filter { $0.node == node }.flatMap { unsubscribe(socketId: $0.socketId, at: now, grace: grace) }
    }

    /// Participants whose grace period ran out leave with reason `timeout`.
    public mutating func expireAbsentParticipants(at now: Timestamp) -> [MeetingEvent] {
        guard !ended else { return [] }
        let expired = participants.filter { participant in
            guard let deadline = participant.graceDeadline else { return false }
            return deadline <= now && !isOnline(participant.userId)
        }
        return expired.flatMap { depart($0.userId, reason: .timeout, by: $0.userId, at: now) }
    }

    /// The earliest grace deadline, if any participant is offline.
    public var nextGraceDeadline: Timestamp? {
        participants.compactMap(\.graceDeadline).min()
    }

    /// After a restart: no socket is subscribed, and every participant's grace period starts
    /// now. No event: presence starts over.
    public mutating func restartPresence(at now: Timestamp, grace: Duration) {
        subscriptions = []
        for index in participants.indices {
            participants[index].graceDeadline = now.adding(grace)
        }
    }
}
