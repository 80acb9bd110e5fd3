import MeetingsContract
import HTTPTypes
import SocketIOProtocol

/// The routes under `/api` (meetings-api §4): each translates a request into a domain action
/// of ``MeetingService`` and its result into JSON.
struct MeetingsAPI: Sendable {
    let service: MeetingService

    private typealias Field = APIRoute.Field

    /// A route that runs a domain action and answers the meeting's snapshot.
    private func action<Body>(
        _ route: MeetingsRoutes.Action<Body>, _ summary: String, body: [Field] = [],
        _ change: @escaping @Sendable (inout Meeting, APICall, Timestamp) throws -> [MeetingEvent]
    ) -> APIRoute {
        APIRoute(route, summary: summary, body: body, response: "Meeting") { [service] call in
            JSONValue(contract: try await service.perform(call.parameter("id")) { meeting, time in try change(&meeting, call, time) }.0.snapshot)
        }
    }

    var routes: [APIRoute] {
        let grace = service.presenceGrace
        return [
            APIRoute(
                MeetingsRoutes.createMeeting, summary: "Create a meeting; the caller becomes its host (not yet a participant).",
                status: .created, body: [.text("title", max: MeetingLimits.titleMax, "1–200 characters, not blank")],
                response: "Meeting"
            ) { [service] call in
                JSONValue(contract: try await service.createMeeting(title: call.string("title"), by: call.caller).snapshot)
            },
            APIRoute(MeetingsRoutes.listMeetings, summary: "The meetings the caller created, hosts or takes part in.", response: "MeetingSummaryList") { [service] call in
                JSONValue(contract: try await service.store.meetings(involving: call.caller.userId).map(\.summary))
            },
            APIRoute(MeetingsRoutes.meeting, summary: "The meeting's snapshot.", response: "Meeting") { [service] call in
                JSONValue(contract: try await service.meeting(call.parameter("id")).snapshot)
            },
            APIRoute(
                MeetingsRoutes.events, summary: "The events after a seq, at most 1000, in seq order (participants and hosts).",
                response: "EventList",
                query: [.integer("after", 0...Int.max, required: false, "the seq the caller holds; 0 by default")]
            ) { [service] call in
                try await events(service: service, call: call)
            },
            action(MeetingsRoutes.join, "Join the meeting (423 when locked, except hosts and existing participants).") { meeting, call, time in
                try meeting.join(call.caller, at: time, grace: grace)
            },
            action(MeetingsRoutes.leave, "Leave the meeting: hand and screenshare stop first.") { meeting, call, time in
                try meeting.leave(call.caller, at: time)
            },
            action(MeetingsRoutes.remove, "Remove a participant (host); they cannot join again until readmitted.") { meeting, call, time in
                try meeting.remove(call.parameter("userId"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.readmit, "Let a removed user join again (host); no event.") { meeting, call, _ in
                try meeting.readmit(call.parameter("userId"), by: call.caller)
                return []
            },
            action(MeetingsRoutes.raiseHand, "Raise the caller's hand (idempotent).") { meeting, call, time in
                try meeting.raiseHand(call.caller, at: time)
            },
            action(MeetingsRoutes.lowerHand, "Lower the caller's hand, or (host) anyone's.",
                body: [.userId("userId", required: false, "whose hand; the caller's by default")]
            ) { meeting, call, time in
                try meeting.lowerHand(of: call.optionalString("userId"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.lowerAllHands, "Lower every hand, in queue order (host).") { meeting, call, time in
                try meeting.lowerAllHands(by: call.caller, at: time)
            },
            action(MeetingsRoutes.startMusic, "Start background music or change the track (host).",
                body: [.text("track", max: MeetingLimits.trackMax, "1–200 characters, not blank"),
                       .integer("volume", MeetingLimits.volumeRange, required: false, "0–100, 50 by default")]
            ) { meeting, call, time in
                try meeting.startMusic(track: call.string("track"), volume: call.optionalInt("volume"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.stopMusic, "Stop the music (host).") { meeting, call, time in
                try meeting.stopMusic(by: call.caller, at: time)
            },
            action(MeetingsRoutes.setVolume, "Set the music's volume (host).",
                body: [.integer("volume", MeetingLimits.volumeRange, required: true, "0–100")]
            ) { meeting, call, time in
                try meeting.setMusicVolume(call.int("volume"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.startRecording, "Start recording (host); 409 when already on.") { meeting, call, time in
                try meeting.startRecording(by: call.caller, at: time)
            },
            action(MeetingsRoutes.stopRecording, "Stop recording (host).") { meeting, call, time in
                try meeting.stopRecording(by: call.caller, at: time)
            },
            action(MeetingsRoutes.startScreenshare, "Start sharing the caller's screen; 409 while someone else shares.") { meeting, call, time in
                try meeting.startScreenshare(call.caller, at: time)
            },
            action(MeetingsRoutes.stopScreenshare, "Stop the screenshare (the sharer or a host).") { meeting, call, time in
                try meeting.stopScreenshare(by: call.caller, at: time)
            },
            APIRoute(
                MeetingsRoutes.shareResource, summary: "Share a link (participant).", status: .created,
                body: [.text("title", max: MeetingLimits.titleMax, "1–200 characters, not blank"),
                       .url("url", "an absolute http or https URL with a host, no spaces, at most 2048 characters")],
                response: "Resource"
            ) { [service] call in
                let title = try call.string("title"), url = try call.string("url")
                let (_, events) = try await service.perform(call.parameter("id")) { meeting, time in
                    try meeting.shareResource(title: title, url: url, by: call.caller, at: time).1
                }
                guard case .resourceShared(let resource)? = events.last?.kind else { throw MeetingError(.internalError, "no resource was shared") }
                return JSONValue(contract: resource)
            },
            APIRoute(
                MeetingsRoutes.postMessage, summary: "Write to the chat (participant).", status: .created,
                body: [.text("text", max: MeetingLimits.textMax, "1–2000 characters, not blank")],
                response: "Message"
            ) { [service] call in
                let text = try call.string("text")
                let (_, events) = try await service.perform(call.parameter("id")) { meeting, time in
                    try meeting.postMessage(text, by: call.caller, at: time).1
                }
                guard case .message(let message)? = events.last?.kind else { throw MeetingError(.internalError, "no message was posted") }
                return JSONValue(contract: message)
            },
            action(MeetingsRoutes.lock, "Lock the meeting (host).") { meeting, call, time in
                try meeting.lock(by: call.caller, at: time)
            },
            action(MeetingsRoutes.unlock, "Unlock the meeting (host).") { meeting, call, time in
                try meeting.unlock(by: call.caller, at: time)
            },
            action(MeetingsRoutes.promote, "Make a participant a host (host).",
                body: [.userId("userId", required: true, "a participant's user id")]
            ) { meeting, call, time in
                try meeting.promote(call.string("userId"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.demote, "Take host rights away (host); 409 for the last host.") { meeting, call, time in
                try meeting.demote(call.parameter("userId"), by: call.caller, at: time)
            },
            action(MeetingsRoutes.end, "End the meeting for everyone (host); it stays readable.") { meeting, call, time in
                try meeting.end(by: call.caller, at: time)
            },
        ]
    }
}

/// `GET /api/meetings/{id}/events?after=`: participants and hosts only.
private func events(service: MeetingService, call: APICall) async throws -> JSONValue {
    let id = call.parameter("id")
    let meeting = try await service.meeting(id)
    guard meeting.isParticipant(call.caller.userId) || meeting.isHost(call.caller.userId) else {
        throw MeetingError(.notParticipant, "Only participants and hosts can read the event log; join the meeting first.")
    }
    var after: Int64 = 0
    if let text = call.query["after"] {
        guard let value = Int64(text), value >= 0 else {
            throw MeetingError(.invalidRequest, "'after' must be a non-negative integer (a seq); got '\(text)'.")
        }
        after = value
    }
    switch try await service.store.events(of: id, after: after, limit: 1000) {
    case .tooOld(let oldest):
        throw MeetingError(.gone, "Events up to seq \(oldest - 1) are no longer kept; fetch the snapshot (GET /api/meetings/\(id)) instead.")
    case .events(let events):
        return .array(try events.map { event in
            ["event": .string(event.name), "data": try JSONValue(parsing: event.data)]
        })
    }
}
