@testable import MeetTUI
import Testing

/// The room's command language, shared by the `:` prompt and the one-shot `meet <command>`.
@Suite struct RoomCommandTests {
    /// Resolves "Bob"/"BOB" to "bob", as a room with Bob in it would; other words stay.
    func parse(_ line: String) -> Result<RoomCommand, RoomCommandError> {
        RoomCommand.parse(line.split(separator: " ").map(String.init)) { $0.lowercased() == "bob" ? "bob" : $0 }
    }

    @Test func everyCommandNamesItsAction() {
        let cases: [(String, RoomCommand)] = [
            ("raise", .perform(.raiseHand)),
            ("RAISE", .perform(.raiseHand)),
            ("lower", .perform(.lowerHand(userId: nil))),
            ("lower Bob", .perform(.lowerHand(userId: "bob"))),
            ("lowerall", .perform(.lowerAllHands)),
            ("lower-all", .perform(.lowerAllHands)),
            ("lock", .perform(.lock)),
            ("unlock", .perform(.unlock)),
            ("promote Bob", .perform(.promote("bob"))),
            ("promote zed", .perform(.promote("zed"))),
            ("demote bob", .perform(.demote("bob"))),
            ("remove BOB", .perform(.remove("bob"))),
            ("kick bob", .perform(.remove("bob"))),
            ("readmit Bob", .perform(.readmit("Bob"))),
            ("record", .toggleRecording),
            ("record on", .perform(.startRecording)),
            ("rec OFF", .perform(.stopRecording)),
            ("record stop", .perform(.stopRecording)),
            ("screen", .toggleScreenshare),
            ("screen off", .perform(.stopScreenshare)),
            ("share https://example.com/a Agenda notes", .perform(.shareResource(title: "Agenda notes", url: "https://example.com/a"))),
            ("link Notes http://example.com/n", .perform(.shareResource(title: "Notes", url: "http://example.com/n"))),
            ("share https://example.com/a", .perform(.shareResource(title: "https://example.com/a", url: "https://example.com/a"))),
            ("music Lo-fi beats", .perform(.startMusic(track: "Lo-fi beats", volume: nil))),
            ("music stop", .perform(.stopMusic)),
            ("music off", .perform(.stopMusic)),
            ("music", .perform(.stopMusic)),
            ("volume 40", .perform(.setVolume(40))),
            ("vol 0", .perform(.setVolume(0))),
            ("volume 100", .perform(.setVolume(100))),
            ("say hello all", .perform(.sendMessage("hello all"))),
            ("msg hi", .perform(.sendMessage("hi"))),
            ("chat hi", .perform(.sendMessage("hi"))),
            ("end", .perform(.end)),
            ("help", .help),
            ("quit", .quit),
            ("q", .quit),
            ("leave", .quit),
        ]
        for (line, expected) in cases {
            #expect(parse(line) == .success(expected), "\(line)")
        }
    }

    @Test func argumentsWithSpacesAreKept() {
        // A one-shot gets "hello  all" as one argument; it is sent as typed.
        #expect(RoomCommand.parse(["say", "hello  all"]) { $0 } == .success(.perform(.sendMessage("hello  all"))))
        #expect(RoomCommand.parse(["music", "Lo-fi beats"]) { $0 } == .success(.perform(.startMusic(track: "Lo-fi beats", volume: nil))))
        #expect(RoomCommand.parse(["promote", "Bob"]) { $0 == "Bob" ? "bob" : $0 } == .success(.perform(.promote("bob"))))
    }

    @Test func usageErrors() {
        let cases: [(String, RoomCommandError)] = [
            ("", .empty),
            ("dance", .unknown("dance")),
            ("promote", .needsParticipant("promote")),
            ("demote", .needsParticipant("demote")),
            ("kick", .needsParticipant("kick")),
            ("readmit", .needsParticipant("readmit")),
            ("volume", .needsVolume("volume")),
            ("volume abc", .needsVolume("volume")),
            ("volume 101", .needsVolume("volume")),
            ("volume -1", .needsVolume("volume")),
            ("vol 4 0", .needsVolume("vol")),
            ("say", .needsText("say")),
            ("record maybe", .needsOnOrOff("record")),
            ("screen now", .needsOnOrOff("screen")),
            ("share example.com", .notALink),
            ("share", .notALink),
        ]
        for (line, expected) in cases {
            #expect(parse(line) == .failure(expected), "\(line)")
        }
        #expect(RoomCommand.parse(["say", "  "]) { $0 } == .failure(.needsText("say")))
    }

    @Test func resolveIsAskedOnlyForParticipantWords() {
        for (line, asks) in [("promote bob", true), ("lower bob", true), ("lower", false), ("readmit bob", false),
                             ("say bob", false), ("lock", false), ("volume 3", false)] {
            var asked = false
            _ = RoomCommand.parse(line.split(separator: " ").map(String.init)) { asked = true; return $0 }
            #expect(asked == asks, "\(line)")
        }
    }

    @Test func messagesInThePrompt() {
        #expect(RoomCommandError.unknown("dance").message(.prompt) == "Unknown command :dance; press ? for the list.")
        #expect(RoomCommandError.needsParticipant("promote").message(.prompt) == ":promote needs a participant: :promote <name or id>")
        #expect(RoomCommandError.needsVolume("volume").message(.prompt) == ":volume takes a number from 0 to 100.")
        #expect(RoomCommandError.needsText("say").message(.prompt) == ":say needs some text: :say <text>")
        #expect(RoomCommandError.needsOnOrOff("record").message(.prompt) == ":record takes on or off: :record [on|off]")
        #expect(RoomCommandError.notALink.message(.prompt) == "A link must start with http:// or https://.")
    }

    @Test func messagesOnTheCommandLine() {
        #expect(RoomCommandError.needsParticipant("promote").message(.oneShot) == "meet promote needs a participant: meet promote <name or id> <meeting>")
        #expect(RoomCommandError.needsVolume("volume").message(.oneShot) == "meet volume takes a number from 0 to 100.")
        #expect(RoomCommandError.needsText("say").message(.oneShot) == "meet say needs some text: meet say <text> <meeting>")
        #expect(RoomCommandError.needsOnOrOff("record").message(.oneShot) == "meet record takes on or off: meet record on|off <meeting>")
        #expect(RoomCommandError.unknown("dance").message(.oneShot) == "Unknown command dance; see meet --help.")
    }

    @Test func aParticipantIsFoundByIdOrName() throws {
        let room = try RoomState(snapshot: snapshotJSON { $0.participants = [.alice, .bob, .carol] })
        #expect(room.resolveParticipant("bob") == "bob")
        #expect(room.resolveParticipant("Carol") == "carol")
        #expect(room.resolveParticipant("ALICE") == "alice")
        #expect(room.resolveParticipant("zed") == "zed")
    }
}
