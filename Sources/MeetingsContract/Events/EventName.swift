/// The names of the events the server emits to a meeting's room (meetings-api §5).
public enum EventName: String, Sendable, Hashable, CaseIterable, Codable {
    case participantJoined = "meeting:participant-joined"
    case participantLeft = "meeting:participant-left"
    case presenceUpdated = "meeting:presence-updated"
    case handRaised = "meeting:hand-raised"
    case handLowered = "meeting:hand-lowered"
    case musicStarted = "meeting:music-started"
    case musicStopped = "meeting:music-stopped"
    case musicVolumeUpdated = "meeting:music-volume-updated"
    case recordingStarted = "meeting:recording-started"
    case recordingStopped = "meeting:recording-stopped"
    case screenshareStarted = "meeting:screenshare-started"
    case screenshareStopped = "meeting:screenshare-stopped"
    case resourceShared = "meeting:resource-shared"
    case locked = "meeting:locked"
    case unlocked = "meeting:unlocked"
    case hostPromoted = "meeting:host-promoted"
    case hostDemoted = "meeting:host-demoted"
    case message = "meeting:message"
    case ended = "meeting:ended"

    /// The name without `meeting:`, dashes as underscores (`hand_raised`): how a config file
    /// names it.
    public var configName: String {
        String(rawValue.dropFirst("meeting:".count).map { $0 == "-" ? "_" : $0 })
    }
}
