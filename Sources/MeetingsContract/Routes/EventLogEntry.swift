/// One element of `GET /api/meetings/{id}/events`' answer: `{"event": name, "data": payload}`.
public struct EventLogEntry: Sendable, Hashable, Codable {
    public var event: MeetingEvent

    public init(_ event: MeetingEvent) { self.event = event }

    private enum CodingKeys: String, CodingKey { case event, data }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.name, forKey: .event)
        try container.encode(event, forKey: .data)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(EventName.self, forKey: .event)
        event = try MeetingEvent(name: name, from: try container.superDecoder(forKey: .data))
    }
}
