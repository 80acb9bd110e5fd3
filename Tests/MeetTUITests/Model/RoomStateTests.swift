@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

extension RoomState {
    /// Applies `name` as the next event (`seq` + 1), at `seconds` after the fixed start.
    mutating func applyNext(_ name: String, at seconds: Int = 0, _ extra: [(String, JSONValue)] = []) throws -> ActivityEntry? {
        let payload = event(name, seq: Int(meeting.seq) + 1, at: seconds, extra: extra)
        return apply(try MeetingEvent(name: name, json: payload.jsonBytes))
    }
}

/// The snapshot (meetings-api §3) and every event of §5 as the client applies them.
@Suite struct RoomStateTests {
    /// Meeting "m1" at seq 10: alice (host), bob and carol, joined at the start, online.
    func room(_ configure: (inout SnapshotBuilder) -> Void = { _ in }) throws -> RoomState {
        var builder = SnapshotBuilder()
        builder.seq = 10
        builder.participants = [.alice, .bob, .carol]
        configure(&builder)
        return try RoomState(snapshot: builder.json)
    }

    // MARK: Snapshot

    @Test func decodesAFullSnapshot() throws {
        let json = snapshotJSON(seq: 42) { room in
            room.locked = true
            room.participants = [.alice, Person(userId: "bob", name: "Bob", joinedAt: 30, online: false)]
            room.hands = [(userId: "bob", raisedAt: 60)]
            room.music = (track: "Lo-fi", volume: 40, startedBy: "alice", startedAt: 90)
            room.recording = (startedBy: "alice", startedAt: 120)
            room.screenshare = (userId: "bob", startedAt: 150)
            room.resources = [resourceJSON(id: "r1", title: "Agenda", url: "https://example.com/agenda", sharedBy: "bob", at: 180)]
            room.messages = [messageJSON(id: "m7", userId: "bob", name: "Bob", text: "one sec, mic issue", at: 200)]
        }
        let state = try RoomState(snapshot: json)

        #expect(state.id == "m1")
        #expect(state.title == "Weekly sync")
        #expect(state.createdBy == "alice")
        #expect(state.seq == 42)
        #expect(state.locked)
        #expect(!state.ended)
        #expect(state.participants == [
            RoomState.Participant(userId: "alice", name: "Alice", role: .host, joinedAt: Fixture.time(0), online: true),
            RoomState.Participant(userId: "bob", name: "Bob", role: .participant, joinedAt: Fixture.time(30), online: false),
        ])
        #expect(state.hands == [Hand(userId: "bob", raisedAt: Fixture.time(60))])
        #expect(state.music == Music(track: "Lo-fi", volume: 40, startedBy: "alice", startedAt: Fixture.time(90)))
        #expect(state.recording == Recording(startedBy: "alice", startedAt: Fixture.time(120)))
        #expect(state.screenshare == Screenshare(userId: "bob", startedAt: Fixture.time(150)))
        #expect(state.resources == [
            Resource(id: "r1", title: "Agenda", url: "https://example.com/agenda", sharedBy: "bob", sharedAt: Fixture.time(180)),
        ])
        #expect(state.messages == [
            ChatMessage(id: "m7", userId: "bob", name: "Bob", text: "one sec, mic issue", at: Fixture.time(200)),
        ])
        #expect(state.names == ["alice": "Alice", "bob": "Bob"])
        #expect(state.handPosition("bob") == 1)
        #expect(state.handPosition("alice") == nil)
        #expect(state.participant("bob")?.online == false)
        #expect(state.name(of: "zed") == "zed", "an unknown user shows as their id")
    }

    @Test func decodesAMinimalSnapshot() throws {
        let state = try RoomState(snapshot: snapshotJSON())
        #expect(state.id == "m1")
        #expect(state.seq == 0)
        #expect(!state.locked)
        #expect(!state.ended)
        #expect(state.participants.isEmpty)
        #expect(state.hands.isEmpty)
        #expect(state.music == nil)
        #expect(state.recording == nil)
        #expect(state.screenshare == nil)
        #expect(state.resources.isEmpty)
        #expect(state.messages.isEmpty)
        #expect(state.names.isEmpty)
    }

    @Test func anEndedSnapshot() throws {
        let state = try RoomState(snapshot: snapshotJSON(seq: 9) { $0.ended = true })
        #expect(state.ended)
        // `ended` missing reads as not ended.
        let old = try RoomState(snapshot: snapshotJSON(seq: 9).removing("ended"))
        #expect(!old.ended)
    }

    @Test func chatAuthorsWhoLeftKeepTheirName() throws {
        let state = try RoomState(snapshot: snapshotJSON(seq: 3) { room in
            room.participants = [.alice]
            room.messages = [messageJSON(id: "m1", userId: "zed", name: "Zed", text: "bye", at: 5)]
        })
        #expect(state.name(of: "zed") == "Zed")
        #expect(state.name(of: "alice") == "Alice")
    }

    func expectMalformed(_ label: String, _ json: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: DecodingError.self, "\(label)", sourceLocation: sourceLocation) { try RoomState(snapshot: json) }
    }

    @Test func aMalformedSnapshotThrows() throws {
        let good = snapshotJSON(seq: 1) { $0.participants = [.alice] }
        _ = try RoomState(snapshot: good)

        expectMalformed("not an object", .array([good]))
        expectMalformed("no title", good.removing("title"))
        expectMalformed("seq is a string", good.with("seq", .string("1")))
        expectMalformed("seq is a fraction", good.with("seq", .number(JSONNumber(1.5))))
        expectMalformed("locked is a string", good.with("locked", .string("false")))
        expectMalformed("participants is not an array", good.with("participants", .string("alice")))
        let nameless: JSONValue = ["userId": "bob", "role": "participant", "joinedAt": Fixture.iso(0), "online": true]
        expectMalformed("a participant without a name", good.with("participants", .array([nameless])))
        expectMalformed("joinedAt is not ISO 8601", good.with("participants", .array([Person.bob.json.with("joinedAt", .string("yesterday"))])))
        let handless: JSONValue = ["userId": "alice", "position": 1]
        expectMalformed("a hand without raisedAt", good.with("hands", .array([handless])))
        let trackless: JSONValue = ["playing": true, "volume": 40, "startedBy": "alice", "startedAt": Fixture.iso(0)]
        expectMalformed("music playing without a track", good.with("music", trackless))
        expectMalformed("music without playing", good.with("music", .object(JSONObject())))
        expectMalformed("no recording", good.removing("recording"))
        let sharerless: JSONValue = ["active": true, "startedAt": Fixture.iso(0)]
        expectMalformed("screenshare active without a user", good.with("screenshare", sharerless))
        let urlless: JSONValue = ["id": "r1", "title": "A", "sharedBy": "alice", "sharedAt": Fixture.iso(0)]
        expectMalformed("a resource without a url", good.with("resources", .array([urlless])))
        let textless: JSONValue = ["id": "m1", "userId": "alice", "name": "Alice", "at": Fixture.iso(0)]
        expectMalformed("a message without text", good.with("messages", .array([textless])))
    }

    @Test func decodingErrorsNameTheField() {
        let missing = #expect(throws: DecodingError.self) { try RoomState(snapshot: snapshotJSON().removing("title")) }
        guard case .keyNotFound(let key, _)? = missing else {
            Issue.record("not keyNotFound: \(String(describing: missing))")
            return
        }
        #expect(key.stringValue == "title")
        let wrong = #expect(throws: DecodingError.self) { try RoomState(snapshot: snapshotJSON().with("seq", .string("7"))) }
        guard case .typeMismatch(_, let context)? = wrong else {
            Issue.record("not typeMismatch: \(String(describing: wrong))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["seq"])
        let recording: JSONValue = ["active": true, "startedBy": "alice", "startedAt": "soon"]
        let time = #expect(throws: DecodingError.self) { try RoomState(snapshot: snapshotJSON().with("recording", recording)) }
        guard case .dataCorrupted(let timeContext)? = time else {
            Issue.record("not dataCorrupted: \(String(describing: time))")
            return
        }
        #expect(timeContext.codingPath.map(\.stringValue) == ["recording", "startedAt"])
    }

    @Test func participantJoined() throws {
        var state = try room()
        let dave = Person(userId: "dave", name: "Dave", joinedAt: 60, online: false)
        let entry = try state.applyNext("meeting:participant-joined", at: 60, [("participant", dave.json)])
        #expect(state.seq == 11)
        #expect(state.participants.map(\.userId) == ["alice", "bob", "carol", "dave"])
        #expect(state.participant("dave") == RoomState.Participant(userId: "dave", name: "Dave", role: .participant, joinedAt: Fixture.time(60), online: false))
        #expect(state.names["dave"] == "Dave")
        #expect(entry == ActivityEntry(at: Fixture.time(60), text: "Dave joined", kind: .event))
    }

    @Test func joiningAgainReplacesTheParticipant() throws {
        var state = try room()
        let bobby = Person(userId: "bob", name: "Bobby", joinedAt: 60)
        let entry = try state.applyNext("meeting:participant-joined", at: 60, [("participant", bobby.json)])
        #expect(state.participants.count == 3)
        #expect(state.participants.filter { $0.userId == "bob" }.count == 1)
        #expect(state.name(of: "bob") == "Bobby")
        #expect(entry?.text == "Bobby joined")
    }

    @Test func participantLeftForEachReason() throws {
        let reasons: [(reason: String, text: String, kind: ActivityEntry.Kind)] = [
            ("left", "Bob left", .event),
            ("removed", "Bob was removed by Alice", .alert),
            ("timeout", "Bob left (connection lost)", .event),
        ]
        for (reason, text, kind) in reasons {
            var state = try room { room in
                room.hands = [(userId: "bob", raisedAt: 5), (userId: "carol", raisedAt: 6)]
                room.screenshare = (userId: "bob", startedAt: 7)
            }
            var extra: [(String, JSONValue)] = [("userId", "bob"), ("reason", .string(reason))]
            if reason == "removed" { extra.append(("by", "alice")) }
            let entry = try state.applyNext("meeting:participant-left", at: 60, extra)
            #expect(state.seq == 11)
            #expect(state.participants.map(\.userId) == ["alice", "carol"], "\(reason)")
            #expect(state.hands.map(\.userId) == ["carol"], "their hand is lowered (\(reason))")
            #expect(state.handPosition("carol") == 1)
            #expect(state.screenshare == nil, "their screenshare stops (\(reason))")
            #expect(state.name(of: "bob") == "Bob", "the log keeps their name")
            #expect(entry == ActivityEntry(at: Fixture.time(60), text: text, kind: kind))
        }
    }

    @Test func participantLeftBecauseTheMeetingEndedIsNotLogged() throws {
        var state = try room()
        let entry = try state.applyNext("meeting:participant-left", at: 60, [("userId", "bob"), ("reason", "ended")])
        #expect(entry == nil)
        #expect(state.participant("bob") == nil)
        #expect(state.seq == 11)
    }

    @Test func someoneElseLeavingKeepsTheScreenshare() throws {
        var state = try room { room in
            room.hands = [(userId: "bob", raisedAt: 5)]
            room.screenshare = (userId: "bob", startedAt: 7)
        }
        _ = try state.applyNext("meeting:participant-left", at: 60, [("userId", "carol"), ("reason", "left")])
        #expect(state.screenshare?.userId == "bob")
        #expect(state.hands.map(\.userId) == ["bob"])
    }

    @Test func presenceUpdated() throws {
        var state = try room()
        let offline = try state.applyNext("meeting:presence-updated", at: 120, [("userId", "bob"), ("online", false)])
        #expect(state.participant("bob")?.online == false)
        #expect(offline == ActivityEntry(at: Fixture.time(120), text: "Bob went offline", kind: .event))

        let back = try state.applyNext("meeting:presence-updated", at: 300, [("userId", "bob"), ("online", true)])
        #expect(state.participant("bob")?.online == true)
        #expect(back?.text == "Bob is back online")
        #expect(state.seq == 12)
    }

    @Test func connectingRightAfterJoiningIsNotNews() throws {
        var state = try room { $0.participants.append(Person(userId: "dave", name: "Dave", joinedAt: 100, online: false)) }
        let entry = try state.applyNext("meeting:presence-updated", at: 105, [("userId", "dave"), ("online", true)])
        #expect(entry == nil)
        #expect(state.participant("dave")?.online == true)
    }

    @Test func presenceOfAStrangerChangesOnlyTheSeq() throws {
        let before = try room()
        var state = before
        let entry = try state.applyNext("meeting:presence-updated", at: 60, [("userId", "zed"), ("online", true)])
        #expect(entry == nil)
        var expected = before
        expected.meeting.seq = 11
        #expect(state == expected)
    }

    // MARK: Hands

    @Test func handRaised() throws {
        var state = try room()
        let bob = try state.applyNext("meeting:hand-raised", at: 60, [("userId", "bob"), ("raisedAt", Fixture.iso(59)), ("position", 1)])
        #expect(bob == ActivityEntry(at: Fixture.time(60), text: "Bob raised a hand (#1)", kind: .event))
        #expect(state.hands == [Hand(userId: "bob", raisedAt: Fixture.time(59))])

        let carol = try state.applyNext("meeting:hand-raised", at: 70, [("userId", "carol"), ("raisedAt", Fixture.iso(70)), ("position", 2)])
        #expect(carol?.text == "Carol raised a hand (#2)")
        #expect(state.hands.map(\.userId) == ["bob", "carol"])
        #expect(state.handPosition("carol") == 2)
    }

    @Test func raisingARaisedHandKeepsItsPlace() throws {
        var state = try room { $0.hands = [(userId: "bob", raisedAt: 5), (userId: "carol", raisedAt: 6)] }
        let entry = try state.applyNext("meeting:hand-raised", at: 60, [("userId", "bob"), ("raisedAt", Fixture.iso(60)), ("position", 1)])
        #expect(state.hands == [Hand(userId: "bob", raisedAt: Fixture.time(5)), Hand(userId: "carol", raisedAt: Fixture.time(6))])
        #expect(entry?.text == "Bob raised a hand (#1)")
    }

    @Test func handLoweredByItsOwner() throws {
        var state = try room { $0.hands = [(userId: "bob", raisedAt: 5), (userId: "carol", raisedAt: 6)] }
        let entry = try state.applyNext("meeting:hand-lowered", at: 60, [("userId", "bob"), ("by", "bob")])
        #expect(entry == ActivityEntry(at: Fixture.time(60), text: "Bob lowered their hand", kind: .event))
        #expect(state.hands.map(\.userId) == ["carol"])
        #expect(state.handPosition("carol") == 1, "the queue moves up")
    }

    @Test func handLoweredByAHost() throws {
        var state = try room { $0.hands = [(userId: "bob", raisedAt: 5), (userId: "carol", raisedAt: 6)] }
        let entry = try state.applyNext("meeting:hand-lowered", at: 60, [("userId", "carol"), ("by", "alice")])
        #expect(entry?.text == "Alice lowered Carol's hand")
        #expect(state.hands.map(\.userId) == ["bob"])
    }

    // MARK: Music, recording, screenshare

    @Test func musicStarted() throws {
        var state = try room()
        let entry = try state.applyNext("meeting:music-started", at: 60, [("track", "Lo-fi"), ("volume", 40), ("by", "alice")])
        #expect(state.music == Music(track: "Lo-fi", volume: 40, startedBy: "alice", startedAt: Fixture.time(60)))
        #expect(entry == ActivityEntry(at: Fixture.time(60), text: "Alice started music: Lo-fi", kind: .event))

        // A new track replaces the old one.
        let next = try state.applyNext("meeting:music-started", at: 90, [("track", "Jazz"), ("volume", 55), ("by", "alice")])
        #expect(state.music == Music(track: "Jazz", volume: 55, startedBy: "alice", startedAt: Fixture.time(90)))
        #expect(next?.text == "Alice started music: Jazz")
    }

    @Test func musicStopped() throws {
        var state = try room { $0.music = (track: "Lo-fi", volume: 40, startedBy: "alice", startedAt: 5) }
        let entry = try state.applyNext("meeting:music-stopped", at: 60, [("by", "alice")])
        #expect(state.music == nil)
        #expect(entry?.text == "Alice stopped the music")
    }

    @Test func musicVolumeUpdated() throws {
        var state = try room { $0.music = (track: "Lo-fi", volume: 40, startedBy: "alice", startedAt: 5) }
        let entry = try state.applyNext("meeting:music-volume-updated", at: 60, [("volume", 70), ("by", "alice")])
        #expect(state.music == Music(track: "Lo-fi", volume: 70, startedBy: "alice", startedAt: Fixture.time(5)))
        #expect(entry?.text == "Alice set the volume to 70")
    }

    @Test func volumeWithoutMusicStartsNothing() throws {
        var state = try room()
        _ = try state.applyNext("meeting:music-volume-updated", at: 60, [("volume", 70), ("by", "alice")])
        #expect(state.music == nil)
        #expect(state.seq == 11)
    }

    @Test func recordingStartedAndStopped() throws {
        var state = try room()
        let started = try state.applyNext("meeting:recording-started", at: 60, [("by", "alice"), ("startedAt", Fixture.iso(59))])
        #expect(state.recording == Recording(startedBy: "alice", startedAt: Fixture.time(59)))
        #expect(started == ActivityEntry(at: Fixture.time(60), text: "Alice started recording", kind: .alert))

        let stopped = try state.applyNext("meeting:recording-stopped", at: 120, [("by", "alice")])
        #expect(state.recording == nil)
        #expect(stopped == ActivityEntry(at: Fixture.time(120), text: "Alice stopped recording", kind: .event))
    }

    @Test func screenshareStartedAndStoppedByTheSharer() throws {
        var state = try room()
        let started = try state.applyNext("meeting:screenshare-started", at: 60, [("userId", "bob")])
        #expect(state.screenshare == Screenshare(userId: "bob", startedAt: Fixture.time(60)))
        #expect(started?.text == "Bob is sharing their screen")

        let stopped = try state.applyNext("meeting:screenshare-stopped", at: 90, [("userId", "bob"), ("by", "bob")])
        #expect(state.screenshare == nil)
        #expect(stopped?.text == "Bob stopped sharing")
    }

    @Test func screenshareStoppedByAHost() throws {
        var state = try room { $0.screenshare = (userId: "bob", startedAt: 5) }
        let entry = try state.applyNext("meeting:screenshare-stopped", at: 60, [("userId", "bob"), ("by", "alice")])
        #expect(state.screenshare == nil)
        #expect(entry?.text == "Alice stopped Bob's screenshare")
    }

    // MARK: Resources, lock, hosts, chat, end

    @Test func resourceShared() throws {
        var state = try room {
            $0.resources = [resourceJSON(id: "r1", title: "Notes", url: "https://example.com/notes", sharedBy: "alice", at: 5)]
        }
        let resource = resourceJSON(id: "r2", title: "Agenda", url: "https://example.com/agenda", sharedBy: "bob", at: 60)
        let entry = try state.applyNext("meeting:resource-shared", at: 60, [("resource", resource)])
        #expect(state.resources.map(\.id) == ["r1", "r2"])
        #expect(state.resources.last == Resource(id: "r2", title: "Agenda", url: "https://example.com/agenda", sharedBy: "bob", sharedAt: Fixture.time(60)))
        #expect(entry?.text == "Bob shared Agenda: https://example.com/agenda")
    }

    @Test func lockedAndUnlocked() throws {
        var state = try room()
        let locked = try state.applyNext("meeting:locked", at: 60, [("by", "alice")])
        #expect(state.locked)
        #expect(locked?.text == "Alice locked the meeting")
        let unlocked = try state.applyNext("meeting:unlocked", at: 90, [("by", "alice")])
        #expect(!state.locked)
        #expect(unlocked?.text == "Alice unlocked the meeting")
        #expect(state.seq == 12)
    }

    @Test func anUnknownActorShowsAsTheirId() throws {
        var state = try room()
        let stranger = try state.applyNext("meeting:locked", at: 60, [("by", "zed")])
        #expect(stranger?.text == "zed locked the meeting")
    }

    /// The contract's fields are required: an event without them is unreadable, and the
    /// reducer fetches the snapshot instead of guessing (``ClientModelTests``).
    @Test func anEventWithoutTheContractsFieldsDoesNotDecode() {
        for (name, extra) in [
            ("meeting:participant-left", [("userId", JSONValue.string("bob"))]),
            ("meeting:hand-lowered", [("userId", "bob")]),
            ("meeting:recording-started", [("by", "alice")]),
            ("meeting:unlocked", []),
        ] as [(String, [(String, JSONValue)])] {
            #expect(throws: DecodingError.self, "\(name)") { try MeetingEvent(name: name, json: event(name, seq: 11, extra: extra).jsonBytes) }
        }
    }

    @Test func hostPromotedAndDemoted() throws {
        var state = try room()
        let promoted = try state.applyNext("meeting:host-promoted", at: 60, [("userId", "bob"), ("by", "alice")])
        #expect(state.participant("bob")?.isHost == true)
        #expect(promoted?.text == "Alice made Bob a host")

        let demoted = try state.applyNext("meeting:host-demoted", at: 90, [("userId", "bob"), ("by", "alice")])
        #expect(state.participant("bob")?.isHost == false)
        #expect(demoted?.text == "Alice removed Bob's host rights")

        let selfDemoted = try state.applyNext("meeting:host-demoted", at: 95, [("userId", "alice"), ("by", "alice")])
        #expect(state.participant("alice")?.isHost == false)
        #expect(selfDemoted?.text == "Alice removed Alice's host rights")
    }

    @Test func message() throws {
        var state = try room()
        let message = messageJSON(id: "m1", userId: "bob", name: "Bob", text: "one sec, mic issue", at: 60)
        let entry = try state.applyNext("meeting:message", at: 60, [("message", message)])
        #expect(state.messages == [ChatMessage(id: "m1", userId: "bob", name: "Bob", text: "one sec, mic issue", at: Fixture.time(60))])
        #expect(entry == ActivityEntry(at: Fixture.time(60), text: "<Bob> one sec, mic issue", kind: .chat))
    }

    @Test func messagesKeepTheLast50() throws {
        var state = try room { room in
            room.messages = (1...50).map { messageJSON(id: "m\($0)", userId: "bob", name: "Bob", text: "message \($0)", at: $0) }
        }
        #expect(state.messages.count == 50)
        let newest = messageJSON(id: "m51", userId: "carol", name: "Carol", text: "message 51", at: 60)
        _ = try state.applyNext("meeting:message", at: 60, [("message", newest)])
        #expect(state.messages.count == 50)
        #expect(state.messages.first?.id == "m2")
        #expect(state.messages.last?.id == "m51")
    }

    @Test func aMessageFromSomeoneWhoLeftNamesThem() throws {
        var state = try room()
        let message = messageJSON(id: "m1", userId: "zed", name: "Zed", text: "hello", at: 60)
        let entry = try state.applyNext("meeting:message", at: 60, [("message", message)])
        #expect(state.name(of: "zed") == "Zed")
        #expect(entry?.text == "<Zed> hello")
    }

    @Test func ended() throws {
        var state = try room()
        let entry = try state.applyNext("meeting:ended", at: 60, [("by", "alice")])
        #expect(state.ended)
        #expect(state.participants.isEmpty)
        #expect(entry == ActivityEntry(at: Fixture.time(60), text: "Alice ended the meeting", kind: .alert))
        #expect(state.name(of: "alice") == "Alice")
    }

}
