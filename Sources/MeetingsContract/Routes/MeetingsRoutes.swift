/// Every REST route of the meetings API (meetings-api §4).
public enum MeetingsRoutes {
    public typealias Action<Body: Encodable & Sendable> = Route<Body, MeetingState>

    public static let createMeeting = Route<RequestBody.Title, MeetingState>("POST", "/api/meetings")
    public static let listMeetings = Route<NoBody, [MeetingSummary]>("GET", "/api/meetings")
    public static let meeting = Route<NoBody, MeetingState>("GET", "/api/meetings/{id}")
    /// Query `after` (a seq, 0 by default).
    public static let events = Route<NoBody, [EventLogEntry]>("GET", "/api/meetings/{id}/events")
    public static let join = Action<NoBody>("POST", "/api/meetings/{id}/join")
    public static let leave = Action<NoBody>("POST", "/api/meetings/{id}/leave")
    public static let remove = Action<NoBody>("POST", "/api/meetings/{id}/participants/{userId}/remove")
    public static let readmit = Action<NoBody>("POST", "/api/meetings/{id}/participants/{userId}/readmit")
    public static let raiseHand = Action<NoBody>("POST", "/api/meetings/{id}/hand/raise")
    public static let lowerHand = Action<RequestBody.UserId>("POST", "/api/meetings/{id}/hand/lower")
    public static let lowerAllHands = Action<NoBody>("POST", "/api/meetings/{id}/hands/lower-all")
    public static let startMusic = Action<RequestBody.StartMusic>("POST", "/api/meetings/{id}/music/start")
    public static let stopMusic = Action<NoBody>("POST", "/api/meetings/{id}/music/stop")
    public static let setVolume = Action<RequestBody.Volume>("PUT", "/api/meetings/{id}/music/volume")
    public static let startRecording = Action<NoBody>("POST", "/api/meetings/{id}/recording/start")
    public static let stopRecording = Action<NoBody>("POST", "/api/meetings/{id}/recording/stop")
    public static let startScreenshare = Action<NoBody>("POST", "/api/meetings/{id}/screenshare/start")
    public static let stopScreenshare = Action<NoBody>("POST", "/api/meetings/{id}/screenshare/stop")
    public static let shareResource = Route<RequestBody.ShareResource, Resource>("POST", "/api/meetings/{id}/resources")
    public static let postMessage = Route<RequestBody.Message, ChatMessage>("POST", "/api/meetings/{id}/messages")
    public static let lock = Action<NoBody>("POST", "/api/meetings/{id}/lock")
    public static let unlock = Action<NoBody>("POST", "/api/meetings/{id}/unlock")
    public static let promote = Action<RequestBody.UserId>("POST", "/api/meetings/{id}/hosts")
    public static let demote = Action<NoBody>("DELETE", "/api/meetings/{id}/hosts/{userId}")
    public static let end = Action<NoBody>("POST", "/api/meetings/{id}/end")
}
