import FuzzSupport
import MeetingsContract
@testable import MeetingsServer
import SocketIOProtocol
import Testing

/// The one fold: over random action sequences through the server's domain, folding the events
/// each action emitted over the snapshot before it gives the snapshot after it; and every
/// snapshot and event survives the trip through the server's JSON and the client's decoder.
@Suite struct MeetingStateFoldTests {
    static let users = ["alice", "bob", "carol", "dave", "erin"]

    /// One random action by a random user, at `now`; refusals are part of the test (they must
    /// emit nothing and change nothing).
    static func act(on meeting: inout Meeting, at now: Timestamp, _ random: inout SplitMix64) throws(MeetingError) -> [MeetingEvent] {
        let who = Caller(userId: users.randomElement(using: &random)!, name: nil)
        let other = users.randomElement(using: &random)!
        let socket = "s\(Int.random(in: 0..<8, using: &random))"
        switch Int.random(in: 0..<26, using: &random) {
        case 0, 1, 2: return try meeting.join(who, at: now, grace: .seconds(30))
        case 3: return try meeting.leave(who, at: now)
        case 4: return try meeting.remove(other, by: who, at: now)
        case 5:
            try meeting.readmit(other, by: who)
            return []
        case 6, 7: return try meeting.raiseHand(who, at: now)
        case 8: return try meeting.lowerHand(of: Bool.random(using: &random) ? nil : other, by: who, at: now)
        case 9: return try meeting.lowerAllHands(by: who, at: now)
        case 10:
            return try meeting.startMusic(track: ["Lo-fi", "Jazz"].randomElement(using: &random)!,
                                          volume: Bool.random(using: &random) ? nil : Int.random(in: 0...100, using: &random), by: who, at: now)
        case 11: return try meeting.stopMusic(by: who, at: now)
        case 12: return try meeting.setMusicVolume(Int.random(in: -5...105, using: &random), by: who, at: now)
        case 13: return try meeting.startRecording(by: who, at: now)
        case 14: return try meeting.stopRecording(by: who, at: now)
        case 15: return try meeting.startScreenshare(who, at: now)
        case 16: return try meeting.stopScreenshare(by: who, at: now)
        case 17: return try meeting.shareResource(title: "Notes", url: "https://example.com/\(meeting.seq)", by: who, at: now).1
        case 18, 19: return try meeting.postMessage("hello \(meeting.seq)", by: who, at: now).1
        case 20: return try (Bool.random(using: &random) ? meeting.lock(by: who, at: now) : meeting.unlock(by: who, at: now))
        case 21: return try meeting.promote(other, by: who, at: now)
        case 22: return try meeting.demote(other, by: who, at: now)
        case 23: return try meeting.subscribe(socketId: socket, userId: who.userId, at: now)
        case 24:
            return Bool.random(using: &random)
                ? meeting.unsubscribe(socketId: socket, at: now, grace: .seconds(30))
                : meeting.expireAbsentParticipants(at: now)
        default:
            // Rarely: the end, after which everything is refused.
            return Int.random(in: 0..<20, using: &random) == 0 ? try meeting.end(by: who, at: now) : []
        }
    }

    @Test func foldingTheEmittedEventsGivesTheNextSnapshot() throws {
        var steps = 0, events = 0, refusals = 0
        for sequence in 0..<1_200 {
            var random = SplitMix64(seed: 0x5EED_0000 + UInt64(sequence))
            var now = Timestamp(milliseconds: 1_795_773_600_000)
            var meeting = try Meeting.create(id: "m\(sequence)", title: "Fold \(sequence)", by: Caller(userId: "alice"), at: now)
            var folded = meeting.snapshot
            for step in 0..<Int.random(in: 1...80, using: &random) {
                now = now.adding(.milliseconds(Int.random(in: 0...40_000, using: &random)))
                let before = meeting
                let emitted: [MeetingEvent]
                do {
                    emitted = try Self.act(on: &meeting, at: now, &random)
                } catch {
                    refusals += 1
                    #expect(meeting == before, "sequence \(sequence) step \(step): a refused action changed the meeting")
                    continue
                }
                for event in emitted {
                    // What the client gets is what the server's JSON decodes to.
                    let decoded = try MeetingEvent(name: event.name.rawValue, json: JSONValue(contract: event).jsonBytes)
                    #expect(decoded == event, "sequence \(sequence) step \(step): \(event.name) does not survive the wire")
                    folded.apply(decoded)
                }
                events += emitted.count
                steps += 1
                guard folded == meeting.snapshot else {
                    Issue.record("sequence \(sequence) step \(step): the fold of \(emitted.map(\.name.rawValue)) is not the snapshot\nfolded:   \(folded)\nsnapshot: \(meeting.snapshot)")
                    return
                }
            }
            let wire = JSONValue(contract: meeting.snapshot)
            #expect(try wire.decode(as: MeetingState.self) == meeting.snapshot, "sequence \(sequence): the snapshot does not survive the wire")
        }
        // The generator reaches every kind of event and plenty of refusals.
        #expect(steps > 15_000)
        #expect(events > 8_000)
        #expect(refusals > 3_000)
    }

    @Test func everyEventKindIsReached() throws {
        var names = Set<EventName>()
        for sequence in 0..<300 {
            var random = SplitMix64(seed: 0xABCD_0000 + UInt64(sequence))
            var meeting = try Meeting.create(id: "m", title: "t", by: Caller(userId: "alice"), at: Timestamp(milliseconds: 0))
            var now = Timestamp(milliseconds: 0)
            for _ in 0..<80 {
                now = now.adding(.seconds(Int.random(in: 0...40, using: &random)))
                if let emitted = try? Self.act(on: &meeting, at: now, &random) { names.formUnion(emitted.map(\.name)) }
            }
        }
        #expect(names == Set(EventName.allCases))
    }
}
