/// Field and size limits of the contract (meetings-api §2), text counted in Unicode code points.
///
/// The server checks them (and states them in `/openapi.json`); a client can check before it
/// sends, and folds events with the same caps (``MeetingState/apply(_:)``).
public enum MeetingLimits {
    public static let titleMax = 200
    public static let trackMax = 200
    public static let textMax = 2000
    public static let urlMax = 2048
    public static let volumeRange = 0...100
    public static let defaultVolume = 50
    /// How many chat messages a snapshot keeps (the last ones).
    public static let messagesKept = 50
    /// How many resources a meeting can hold.
    public static let resourcesKept = 200
}
