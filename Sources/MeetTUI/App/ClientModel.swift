import Foundation
import MeetingsContract
import SocketIOProtocol

/// Everything the screen shows, as a value: the room (snapshot plus events), the connection,
/// the activity log, the selection and what the user is typing. ``update(_:)`` is the only way
/// it changes; it returns what the runtime should do.
public struct ClientModel: Sendable {
    /// A question or a line being typed at the bottom of the screen.
    public enum Prompt: Sendable, Hashable {
        case chat
        case command
        case resource
        case music
        /// `/`: the roster's name filter, applied as it is typed.
        case filter
    }

    /// An action that needs a `y` first.
    public enum Confirmation: Sendable, Hashable {
        case lowerAll
        case remove(userId: String)
        case end

        var question: String {
            switch self {
            case .lowerAll: "Lower every raised hand?"
            case .remove(let userId): "Remove \(userId) from the meeting? They cannot rejoin until readmitted."
            case .end: "End the meeting for everyone?"
            }
        }

        var action: RoomAction {
            switch self {
            case .lowerAll: .lowerAllHands
            case .remove(let userId): .remove(userId)
            case .end: .end
            }
        }
    }

    public enum Mode: Sendable, Hashable {
        case normal
        case input(Prompt, text: String)
        case confirm(Confirmation)
        case help
    }

    /// Display choices: ASCII markers, colour, the bell.
    public struct Options: Sendable, Hashable {
        public var ascii = false
        public var color = true
        public var bell = true
        /// The keys of the normal mode (`[keys]` in the config).
        public var keys = KeyMap()
        public init(ascii: Bool = false, color: Bool = true, bell: Bool = true, keys: KeyMap = KeyMap()) {
            self.ascii = ascii
            self.color = color
            self.bell = bell
            self.keys = keys
        }
    }

    public let me: String
    public let meetingId: String
    public var options: Options
    public internal(set) var room: RoomState?
    public internal(set) var connection: ConnectionStatus = .connecting
    /// The room is not current: offline, reconnecting, or fetching after a gap.
    public internal(set) var stale = true {
        didSet { if stale != oldValue { staleSince = stale ? now : nil } }
    }
    /// Since when the room has been stale (the status bar shows the age).
    public internal(set) var staleSince: Timestamp?
    /// The roster shows only names containing this (case-insensitive); empty: everyone.
    public internal(set) var filter = ""
    /// How many activity lines the view is scrolled back from the newest (PgUp, PgDn).
    public internal(set) var activityScroll = 0
    /// How many activity lines the screen shows (`.viewport`); a scroll never hides more than a
    /// pane's worth of the oldest lines.
    public internal(set) var activityRows = 10
    public internal(set) var roundTrip: Int?
    public internal(set) var activity: [ActivityEntry] = []
    public internal(set) var selected: String?
    public internal(set) var mode: Mode = .normal
    public internal(set) var status: (text: String, isError: Bool)?
    public internal(set) var now: Timestamp
    /// Events that came before the snapshot they follow.
    var pending: [MeetingEvent] = []
    var awaitingSnapshot = true
    /// Whether a connection was ever open (a later one is a reconnect).
    var hasConnected = false

    public static let activityKept = 500

    public init(me: String, meetingId: String, options: Options = Options(), now: Timestamp = Timestamp(milliseconds: 0)) {
        self.me = me
        self.meetingId = meetingId
        self.options = options
        self.now = now
        self.staleSince = now
    }

    /// Whether the user is a host now.
    public var isHost: Bool { room?.participant(me)?.isHost ?? false }

    /// The participant list in display order: you, hosts, raised hands in queue order, then the
    /// others A–Z.
    public var orderedParticipants: [RoomState.Participant] {
        guard let room else { return [] }
        let mine = room.participants.filter { $0.userId == me }
        let hosts = room.participants.filter { $0.userId != me && $0.isHost }.sorted(by: Self.alphabetical)
        let hands = room.hands.compactMap { hand in room.participants.first { $0.userId == hand.userId && $0.userId != me && !$0.isHost } }
        let raised = Set(hands.map(\.userId))
        let others = room.participants.filter { $0.userId != me && !$0.isHost && !raised.contains($0.userId) }.sorted(by: Self.alphabetical)
        return mine + hosts + hands + others
    }

    /// ``orderedParticipants`` through the roster's filter.
    public var visibleParticipants: [RoomState.Participant] {
        var needle = filter
        if case .input(.filter, let text) = mode { needle = text }
        guard !needle.isEmpty else { return orderedParticipants }
        return orderedParticipants.filter { $0.name.localizedCaseInsensitiveContains(needle) || $0.userId.localizedCaseInsensitiveContains(needle) }
    }

    static func alphabetical(_ a: RoomState.Participant, _ b: RoomState.Participant) -> Bool {
        let (left, right) = (a.name.lowercased(), b.name.lowercased())
        return left == right ? a.userId < b.userId : left < right
    }

    mutating func log(_ entry: ActivityEntry) {
        activity.append(entry)
        if activity.count > Self.activityKept { activity.removeFirst(activity.count - Self.activityKept) }
        // Scrolled back, the view stays on the lines being read.
        if activityScroll > 0 { activityScroll = min(activityScroll + 1, maximumActivityScroll) }
    }

    /// The furthest back the activity can scroll: its oldest line at the top of a full pane.
    var maximumActivityScroll: Int { max(0, activity.count - max(1, activityRows - 1)) }

    mutating func say(_ text: String, error: Bool = false) {
        status = (text, error)
    }
}
