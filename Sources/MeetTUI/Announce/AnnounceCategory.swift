import MeetingsContract
import Foundation

/// A kind of room event that `meet join --announce` speaks: `hands`, `joins`, `host` (moderation
/// and shared status) or `chat`; `all` in the config or on the command line is every one.
public enum AnnounceCategory: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Hands raised and lowered.
    case hands
    /// Participants joining, leaving, going offline and coming back.
    case joins
    /// Lock and unlock, hosts promoted and demoted, removals, recording, music, screenshare,
    /// shared links, the meeting's end.
    case host
    /// Chat messages.
    case chat

    public static func < (a: AnnounceCategory, b: AnnounceCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The category of a notice (nil: an event no category speaks).
    public static func of(_ notice: RoomNotice) -> AnnounceCategory? {
        switch notice.event.kind {
        case .handRaised, .handLowered: .hands
        case .participantLeft(_, .removed, _): .host
        case .participantJoined, .participantLeft, .presenceUpdated: .joins
        case .message: .chat
        case .locked, .unlocked, .hostPromoted, .hostDemoted, .recordingStarted, .recordingStopped,
             .musicStarted, .musicStopped, .musicVolumeUpdated, .screenshareStarted, .screenshareStopped,
             .resourceShared, .ended: .host
        }
    }

    /// Parses `hands,joins`, `all` or `none` (words separated by commas or spaces); throws a
    /// message that names the known categories.
    public static func parse(_ text: String) throws(AnnounceParseError) -> Set<AnnounceCategory> {
        try parse(words: text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
    }

    /// Parses a list of category names (`all` and `none` included).
    public static func parse(words: [String]) throws(AnnounceParseError) -> Set<AnnounceCategory> {
        var categories: Set<AnnounceCategory> = []
        for word in words.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            switch word {
            case "all": categories.formUnion(allCases)
            case "none": break
            default:
                guard let category = AnnounceCategory(rawValue: word) else { throw AnnounceParseError(word: word) }
                categories.insert(category)
            }
        }
        return categories
    }
}

/// An unknown word in an `--announce` list.
public struct AnnounceParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var word: String
    public var description: String {
        "unknown announce category '\(word)' (known: \(AnnounceCategory.allCases.map(\.rawValue).joined(separator: ", ")), all, none)"
    }
}
