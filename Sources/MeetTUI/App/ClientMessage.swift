import MeetingsContract

/// What can happen to the client: input from the user, the server and the clock.
public enum ClientMessage: Sendable {
    /// A snapshot (from `meeting:joined` or a REST fetch).
    case snapshot(MeetingState)
    /// A live event of the room.
    case event(MeetingEvent)
    /// A live event of the room that this client cannot read (a newer server's, or malformed):
    /// what it changed is only in a fresh snapshot.
    case unreadableEvent(String)
    case connection(ConnectionStatus)
    /// The live room came back after a reconnect with its socket recovered: the events it
    /// missed have been delivered, in order, just before this.
    case recovered
    /// The round-trip time of the last `ping`.
    case roundTrip(milliseconds: Int)
    case key(Key)
    case tick(Timestamp)
    /// The server refused an action or a request failed; the message is for the status line.
    case failed(String)
    /// The server accepted an action.
    case done(RoomAction)
    /// A line for the activity pane from the client itself (e.g. a hook that failed).
    case activity(String)
    /// How many activity lines the screen shows now (at start, after a resize or a change of
    /// the hand queue's height): what scrolling is bounded by.
    case viewport(activityRows: Int)
}

/// What the reducer asks the runtime to do.
public enum ClientEffect: Sendable, Hashable {
    /// Fetch a fresh snapshot (after a gap in `seq`).
    case fetchSnapshot
    /// Subscribe to the room again (after a reconnect).
    case joinRoom
    case perform(RoomAction)
    case bell
    /// Something happened in the room (for hooks, announcements and the meeting log).
    case notice(RoomNotice)
    /// Leave (REST) when asked, then quit.
    case quit(leave: Bool)
}
