/// The Socket.IO events of the meetings API besides the room's ``EventName``s (meetings-api §5).
public enum SocketEvent: String, Sendable, Hashable, CaseIterable {
    /// Client → server, `{meetingId}`: follow the meeting's room; answered by ``joined`` (and the
    /// ack `{ok, state}`), or ``error``.
    case join = "meeting:join"
    /// Client → server, `{meetingId}`: stop following it; answered by ``left``.
    case leave = "meeting:leave"
    /// Client → server, none or `{ts}`: answered by ``pong``.
    case ping
    /// Server → socket: ``Joined``.
    case joined = "meeting:joined"
    /// Server → socket: ``MeetingRef``.
    case left = "meeting:left"
    /// Server → socket: `{ts, serverTime}` (`ts` as the ping sent it).
    case pong
    /// Server → socket: ``SocketRefusal``.
    case error
}

/// `{meetingId}`: what `meeting:join` and `meeting:leave` send and `meeting:left` answers.
public struct MeetingRef: Sendable, Hashable, Codable {
    public var meetingId: String
    public init(meetingId: String) { self.meetingId = meetingId }
}

/// `meeting:joined`: the room the socket now follows, and its snapshot.
public struct Joined: Sendable, Hashable, Codable {
    public var meetingId: String
    public var state: MeetingState
    public init(meetingId: String, state: MeetingState) {
        self.meetingId = meetingId
        self.state = state
    }
}

/// `error`: a refused `meeting:join` or `meeting:leave`.
public struct SocketRefusal: Sendable, Hashable, Codable {
    public var code: String
    public var message: String
    /// The event refused, e.g. `meeting:join`.
    public var event: String
    public init(code: ErrorCode, message: String, event: SocketEvent) {
        self.code = code.rawValue
        self.message = message
        self.event = event.rawValue
    }
}
