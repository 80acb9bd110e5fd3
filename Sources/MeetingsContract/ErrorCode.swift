/// The contract's error codes (meetings-api §2), shared by REST and Socket.IO answers.
public enum ErrorCode: String, Sendable, Hashable, Codable {
    case invalidRequest = "invalid_request"
    case unauthorized
    case notHost = "not_host"
    case notParticipant = "not_participant"
    case notFound = "not_found"
    case removed
    case conflict
    case gone
    case payloadTooLarge = "payload_too_large"
    case meetingLocked = "meeting_locked"
    case rateLimited = "rate_limited"
    case internalError = "internal_error"
    /// The database does not answer (503, with `Retry-After`); nothing was changed.
    case unavailable
}
