import MeetingsContract

/// A refused action: a code from the contract and a sentence a person can act on.
public struct MeetingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func invalid(_ message: String) -> MeetingError { MeetingError(.invalidRequest, message) }
    static let notHost = MeetingError(.notHost, "Only a host of this meeting can do that.")
    static let notParticipant = MeetingError(.notParticipant, "Join the meeting first (POST /api/meetings/{id}/join).")
    static let gone = MeetingError(.gone, "The meeting has ended; it can be read but not changed.")
    static func meetingNotFound(_ id: String) -> MeetingError {
        MeetingError(.notFound, "No meeting has the id '\(id)'; check the id or create a meeting.")
    }
    static func participantNotFound(_ userId: String) -> MeetingError {
        MeetingError(.notFound, "'\(userId)' is not a participant of this meeting.")
    }
}
