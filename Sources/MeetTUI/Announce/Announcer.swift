import Foundation
import MeetingsContract
import SocketIOProtocol

/// What `meet join --announce` says, as plain sentences, one per line: a pure value fed the
/// room's notices and the clock (no timers of its own).
///
/// The rate limit: at most one sentence per category per ``interval`` (2 s). The first event of a
/// quiet category is said at once; the events of that category that come within the interval
/// are folded, and said when it has passed (at the next ``tick(_:)``): one folded event as its own
/// sentence, more as a count — "and 12 more joined", "and 3 more joined, 1 left". A meeting's
/// end is never held back: it is said at once, after whatever was folded. Categories that are
/// off say nothing. Connection losses and returns are said whatever the categories.
public struct Announcer: Sendable {
    public var categories: Set<AnnounceCategory>
    /// The least time between two sentences of one category.
    public var interval: Duration

    private struct Window: Sendable {
        var spokeAt: Timestamp
        var folded: [RoomNotice] = []
    }

    private var windows: [AnnounceCategory: Window] = [:]
    private var hasConnected = false
    private var saidLost = false

    public init(categories: Set<AnnounceCategory>, interval: Duration = .seconds(2)) {
        self.categories = categories
        self.interval = interval
    }

    /// The sentences to say now for `notice`, which happened at `now` (none when its category is
    /// off or it is folded).
    public mutating func receive(_ notice: RoomNotice, now: Timestamp) -> [String] {
        guard let category = AnnounceCategory.of(notice), categories.contains(category), let sentence = Self.sentence(for: notice) else {
            return []
        }
        if case .ended = notice.event.kind { return flush() + [sentence] }
        var said: [String] = []
        if var window = windows[category], now < window.spokeAt.adding(interval) || !window.folded.isEmpty {
            if now >= window.spokeAt.adding(interval) {
                // A fold that is due and was not ticked yet goes first; this one waits its turn.
                said.append(Self.summary(of: window.folded))
                window = Window(spokeAt: now)
            }
            window.folded.append(notice)
            windows[category] = window
            return said
        }
        windows[category] = Window(spokeAt: now)
        return [sentence]
    }

    /// The folded events whose interval has passed by `now`.
    public mutating func tick(_ now: Timestamp) -> [String] {
        var said: [String] = []
        for category in AnnounceCategory.allCases {
            guard let window = windows[category], now >= window.spokeAt.adding(interval) else { continue }
            if window.folded.isEmpty {
                windows[category] = nil
            } else {
                said.append(Self.summary(of: window.folded))
                windows[category] = Window(spokeAt: now)
            }
        }
        return said
    }

    /// Everything still folded, due or not (when leaving).
    public mutating func flush() -> [String] {
        let said = AnnounceCategory.allCases.compactMap { category in
            windows[category].flatMap { $0.folded.isEmpty ? nil : Self.summary(of: $0.folded) }
        }
        windows = [:]
        return said
    }

    /// What to say about a change of the connection: its loss (once) and its return.
    public mutating func connection(_ status: ConnectionStatus) -> [String] {
        if status.isConnected {
            defer { hasConnected = true; saidLost = false }
            return saidLost ? ["Reconnected."] : []
        }
        guard hasConnected, !saidLost, status != .connecting else { return [] }
        saidLost = true
        if case .offline(let reason) = status { return ["Connection lost (\(reason))."] }
        return ["Connection lost; reconnecting."]
    }

    /// The first sentence: where you are and what is going on.
    public static func welcome(to room: RoomState, me: String) -> String {
        let others = room.participants.filter { $0.userId != me }.count
        var sentence = "You joined \(room.title) with \(others == 0 ? "nobody else" : others == 1 ? "1 other" : "\(others) others")"
        if !room.hands.isEmpty { sentence += room.hands.count == 1 ? ", 1 hand raised" : ", \(room.hands.count) hands raised" }
        if room.locked { sentence += ", locked" }
        if room.recording != nil { sentence += ", recording" }
        if let share = room.screenshare { sentence += ", \(room.name(of: share.userId)) sharing their screen" }
        return sentence + "."
    }

    /// The sentence of one notice: the activity pane's, chat as "Bob says: …", on one line.
    public static func sentence(for notice: RoomNotice) -> String? {
        let text: String
        if case .message(let message) = notice.event.kind, let who = notice.fields["who"] {
            text = "\(who) says: \(message.text)"
        } else {
            text = notice.text
        }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? nil : line
    }

    /// Folded notices said in one sentence: "and 12 more joined, 2 left"; a single one as itself.
    static func summary(of folded: [RoomNotice]) -> String {
        if folded.count == 1, let only = folded.first, let sentence = sentence(for: only) { return sentence }
        var order: [String] = []
        var counts: [String: (count: Int, plural: String, singular: String)] = [:]
        for notice in folded {
            let (singular, plural) = phrase(for: notice)
            if counts[plural] == nil { order.append(plural) }
            counts[plural, default: (0, plural, singular)].count += 1
        }
        let parts = order.enumerated().map { index, key in
            let group = counts[key]!
            let words = group.count == 1 ? group.singular : group.plural
            return index == 0 ? "and \(group.count) more \(words)" : "\(group.count) \(words)"
        }
        return parts.joined(separator: ", ")
    }

    /// How a folded event is counted: (one, several).
    private static func phrase(for notice: RoomNotice) -> (String, String) {
        switch notice.event.kind {
        case .participantJoined: ("joined", "joined")
        case .participantLeft(_, .removed, _): ("removed", "removed")
        case .participantLeft: ("left", "left")
        case .presenceUpdated(_, true): ("came back online", "came back online")
        case .presenceUpdated: ("went offline", "went offline")
        case .handRaised: ("raised a hand", "raised a hand")
        case .handLowered: ("lowered a hand", "lowered a hand")
        case .message: ("message", "messages")
        default: ("host change", "host changes")
        }
    }
}
