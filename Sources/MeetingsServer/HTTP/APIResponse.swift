import MeetingsContract
import Hummingbird
import NIOCore
import SocketIOProtocol

/// JSON responses and the contract's error shape.
enum APIResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }

    /// `{"error":{"code":…,"message":…}}` with the code's status.
    static func error(_ error: MeetingError, headers: HTTPFields = [:]) -> Response {
        json(JSONValue(contract: ErrorBody(code: error.code, message: error.message)), status: status(of: error.code), headers: headers)
    }

    static func status(of code: ErrorCode) -> HTTPResponse.Status {
        switch code {
        case .invalidRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notHost, .notParticipant, .removed: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .gone: .gone
        case .payloadTooLarge: .contentTooLarge
        case .meetingLocked: HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
        case .rateLimited: .tooManyRequests
        case .internalError: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }
}
