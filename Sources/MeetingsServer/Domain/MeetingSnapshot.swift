import MeetingsContract

extension Meeting {
    /// How a participant shows in the snapshot: role from the host set, online from subscriptions.
    public func view(of participant: Participant) -> ParticipantView {
        ParticipantView(
            userId: participant.userId, name: participant.name,
            role: isHost(participant.userId) ? .host : .participant,
            joinedAt: participant.joinedAt, online: isOnline(participant.userId)
        )
    }

    /// The snapshot (meetings-api §3): what every client sees of the meeting.
    public var snapshot: MeetingState {
        MeetingState(
            id: id, title: title, createdBy: createdBy, createdAt: createdAt, seq: seq, locked: locked,
            participants: participants.map(view(of:)), hands: hands, music: music, recording: recording,
            screenshare: screenshare, resources: resources, messages: messages, ended: ended
        )
    }

    /// The short form of `GET /api/meetings`.
    public var summary: MeetingSummary {
        MeetingSummary(id: id, title: title, createdBy: createdBy, createdAt: createdAt, locked: locked, participantCount: participants.count)
    }
}
