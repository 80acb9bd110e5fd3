import MeetingsContract

extension Meeting {
    /// A participant shares a link; its id is `r` and the `seq` of its event.
    public mutating func shareResource(title: String, url: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> (Resource, [MeetingEvent]) {
        try requireParticipant(caller)
        try MeetingLimits.checkText(title, field: "title", max: MeetingLimits.titleMax)
        try MeetingLimits.checkURL(url)
        guard resources.count < Self.resourcesKept else {
            throw MeetingError(.conflict, "The meeting already holds \(Self.resourcesKept) resources, the most it keeps.")
        }
        let resource = Resource(id: "r\(seq + 1)", title: title, url: url, sharedBy: caller.userId, sharedAt: now)
        resources.append(resource)
        return (resource, [record(.resourceShared(resource), at: now)])
    }

    /// A participant writes to the chat; the snapshot keeps the last 50 messages.
    public mutating func postMessage(_ text: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> (ChatMessage, [MeetingEvent]) {
        try requireParticipant(caller)
        try MeetingLimits.checkText(text, field: "text", max: MeetingLimits.textMax)
        let name = participant(caller.userId)?.name ?? caller.name
        let message = ChatMessage(id: "m\(seq + 1)", userId: caller.userId, name: name, text: text, at: now)
        messages.append(message)
        if messages.count > Self.messagesKept { messages.removeFirst(messages.count - Self.messagesKept) }
        return (message, [record(.message(message), at: now)])
    }
}
