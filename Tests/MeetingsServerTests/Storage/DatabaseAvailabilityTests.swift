import MeetingsContract
import HTTPTypes
import Hummingbird
import Logging
@testable import MeetingsServer
import Testing

/// The database's circuit breaker, and what REST answers while it is open.
struct DatabaseAvailabilityTests {
    @Test func anOutageStartsOnceAndEndsWhenMarkedUp() throws {
        let availability = DatabaseAvailability()
        #expect(availability.outage == nil)
        #expect(availability.markDown("no answer"))
        #expect(!availability.markDown("another reason"), "the first reason stays")
        #expect(availability.outage?.reason == "no answer")
        #expect(availability.markUp() != nil)
        #expect(availability.outage == nil)
        #expect(availability.markUp() == nil)
    }

    @Test func restAnswers503WithRetryAfterAndTheContractsBody() throws {
        let request = Request(head: HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/api/meetings/x/hand/raise"), body: .init(buffer: .init()))
        let response = APIMiddleware<BasicRequestContext>.response(
            for: DatabaseAvailability.refusal("PostgreSQL at db:5432 did not answer within 5.0 seconds"), request: request, logger: Logger(label: "test"))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == String(DatabaseAvailability.retryAfterSeconds))
        #expect(DatabaseAvailability.refusal("x").code == .unavailable)
        #expect(DatabaseAvailability.refusal("x").message.contains("nothing was changed"))
    }
}
