@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// Keys in each mode: the participant keys, the host keys with their refusals and confirmations,
/// the prompts and the `:` command line.
@Suite struct ClientModelKeysTests {
    /// Connected, at seq 1: alice (host), bob, carol; `me` is alice unless told.
    func keysModel(me: String = "alice", _ configure: (inout SnapshotBuilder) -> Void = { _ in }) -> ClientModel {
        let json = snapshot(seq: 1) { room in
            room.participants = [.alice, .bob, .carol]
            configure(&room)
        }
        return connectedModel(me: me, snapshot: json)
    }

    func withMusic(volume: Int) -> ClientModel {
        keysModel { $0.music = (track: "Lo-fi", volume: volume, startedBy: "alice", startedAt: 0) }
    }

    // MARK: Participant keys

    @Test func hRaisesThenLowers() {
        var model = keysModel()
        let raise = model.hit(.character("h"))
        #expect(raise.ignoringNotices == [.perform(.raiseHand)])
        // Until the server says so, the hand is down: h asks again.
        let again = model.hit(.character("h"))
        #expect(again.ignoringNotices == [.perform(.raiseHand)])

        _ = model.update(handRaised("alice", seq: 2))
        let lower = model.hit(.character("h"))
        #expect(lower.ignoringNotices == [.perform(.lowerHand(userId: nil))])

        _ = model.update(roomEvent("meeting:hand-lowered", seq: 3, [("userId", "alice"), ("by", "alice")]))
        let raiseAgain = model.hit(.character("h"))
        #expect(raiseAgain.ignoringNotices == [.perform(.raiseHand)])
    }

    @Test func sStartsThenStopsSharing() {
        var model = keysModel()
        let start = model.hit(.character("s"))
        #expect(start.ignoringNotices == [.perform(.startScreenshare)])
        _ = model.update(roomEvent("meeting:screenshare-started", seq: 2, [("userId", "alice")]))
        let stop = model.hit(.character("s"))
        #expect(stop.ignoringNotices == [.perform(.stopScreenshare)])
    }

    @Test func selectionMovesAndClamps() {
        var model = keysModel { $0.participants.append(.dave) }
        #expect(model.orderedParticipants.map(\.userId) == ["alice", "bob", "carol", "dave"])
        #expect(model.selected == "alice")

        let moves: [(Key, String)] = [
            (.character("j"), "bob"), (.down, "carol"), (.character("j"), "dave"), (.down, "dave"), (.character("j"), "dave"),
            (.character("k"), "carol"), (.up, "bob"), (.up, "alice"), (.character("k"), "alice"), (.up, "alice"),
        ]
        for (key, expected) in moves {
            let effects = model.hit(key)
            #expect(effects.ignoringNotices.isEmpty)
            #expect(model.selected == expected, "after \(key)")
        }
    }

    @Test func qQuitsAndLeaves() {
        var model = keysModel()
        let effects = model.hit(.character("q"))
        #expect(effects.ignoringNotices == [.quit(leave: true)])
    }

    @Test func helpOpensAndAnyKeyClosesIt() {
        var model = keysModel()
        let opened = model.hit(.character("?"))
        #expect(opened.ignoringNotices.isEmpty)
        #expect(model.mode == .help)
        // Even q only closes the help.
        let close = model.hit(.character("q"))
        #expect(close.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)

        model.hit(.character("?"))
        let enter = model.hit(.enter)
        #expect(enter.ignoringNotices.isEmpty)
        #expect(model.mode == .normal, "Enter closes the help without opening the chat")
    }

    // MARK: Chat

    @Test func chatOpensTypesAndSends() {
        var model = keysModel()
        let opened = model.hit(.character("c"))
        #expect(opened.ignoringNotices.isEmpty)
        #expect(model.mode == .input(.chat, text: ""))

        // Letters are text here, not keys: no hand goes up.
        let typed = model.typeText("hi there, h and q")
        #expect(typed.ignoringNotices.isEmpty)
        #expect(model.mode == .input(.chat, text: "hi there, h and q"))

        let sent = model.hit(.enter)
        #expect(sent.ignoringNotices == [.perform(.sendMessage("hi there, h and q"))])
        #expect(model.mode == .normal)
    }

    @Test func enterAlsoOpensTheChatAndSpacesAreTrimmed() {
        var model = keysModel()
        model.hit(.enter)
        #expect(model.mode == .input(.chat, text: ""))
        model.typeText("  hello  ")
        let sent = model.hit(.enter)
        #expect(sent.ignoringNotices == [.perform(.sendMessage("hello"))])
    }

    @Test func anEmptyMessageIsNotSent() {
        var model = keysModel()
        model.hit(.character("c"))
        model.typeText("   ")
        let sent = model.hit(.enter)
        #expect(sent.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
    }

    @Test func escapeCancelsTheChat() {
        var model = keysModel()
        model.hit(.character("c"))
        model.typeText("oops")
        let cancelled = model.hit(.escape)
        #expect(cancelled.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
    }

    @Test func backspaceDeletes() {
        var model = keysModel()
        model.hit(.character("c"))
        model.typeText("hellp")
        model.hit(.backspace)
        #expect(model.mode == .input(.chat, text: "hell"))
        model.typeText("o")
        let sent = model.hit(.enter)
        #expect(sent.ignoringNotices == [.perform(.sendMessage("hello"))])

        // On an empty line it does nothing, and the prompt stays.
        model.hit(.character("c"))
        model.hit(.backspace)
        #expect(model.mode == .input(.chat, text: ""))
    }

    @Test func arrowsAreIgnoredWhileTyping() {
        var model = keysModel()
        model.hit(.character("c"))
        model.typeText("hi")
        let effects = model.hit(.up, .down, .resize)
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.mode == .input(.chat, text: "hi"))
        #expect(model.selected == "alice")
    }

    @Test func aMessageStopsAt2000Characters() {
        var model = keysModel()
        model.hit(.character("c"))
        model.typeText(String(repeating: "a", count: 2000))
        model.typeText("b")
        #expect(model.mode == .input(.chat, text: String(repeating: "a", count: 2000)))
    }

    // MARK: Host keys

    @Test func hostKeysAreRefusedToParticipants() {
        for character in ["L", "p", "d", "x", "X", "K", "r", "m", "+", "-", "E"] as [Character] {
            var model = keysModel(me: "bob")
            #expect(!model.isHost)
            let effects = model.hit(.character(character))
            #expect(effects.ignoringNotices.isEmpty, "\(character)")
            #expect(model.status?.text == "'\(character)' is a host key; ask a host.")
            #expect(model.status?.isError == true)
            #expect(model.mode == .normal)
        }
    }

    @Test func theNextKeyClearsTheStatus() {
        var model = keysModel(me: "bob")
        model.hit(.character("L"))
        #expect(model.status?.text != nil)
        model.hit(.character("j"))
        #expect(model.status?.text == nil)
    }

    @Test func lLocksOrUnlocksByState() {
        var model = keysModel()
        let lock = model.hit(.character("L"))
        #expect(lock.ignoringNotices == [.perform(.lock)])
        _ = model.update(roomEvent("meeting:locked", seq: 2, [("by", "alice")]))
        let unlock = model.hit(.character("L"))
        #expect(unlock.ignoringNotices == [.perform(.unlock)])
    }

    @Test func pAndDPromoteAndDemoteTheSelected() {
        var model = keysModel()
        model.hit(.character("j"))
        let promote = model.hit(.character("p"))
        #expect(promote.ignoringNotices == [.perform(.promote("bob"))])
        let demote = model.hit(.character("d"))
        #expect(demote.ignoringNotices == [.perform(.demote("bob"))])
    }

    @Test func rStartsOrStopsRecording() {
        var model = keysModel()
        let start = model.hit(.character("r"))
        #expect(start.ignoringNotices == [.perform(.startRecording)])
        _ = model.update(roomEvent("meeting:recording-started", seq: 2, [("by", "alice"), ("startedAt", Fixture.iso(0))]))
        let stop = model.hit(.character("r"))
        #expect(stop.ignoringNotices == [.perform(.stopRecording)])
    }

    @Test func xLowersTheSelectedHand() {
        var model = keysModel { $0.hands = [(userId: "carol", raisedAt: 0)] }
        // alice, then carol (hand up), then bob.
        #expect(model.orderedParticipants.map(\.userId) == ["alice", "carol", "bob"])
        model.hit(.character("j"))
        let lower = model.hit(.character("x"))
        #expect(lower.ignoringNotices == [.perform(.lowerHand(userId: "carol"))])

        model.hit(.character("j"))
        #expect(model.selected == "bob")
        let refused = model.hit(.character("x"))
        #expect(refused.ignoringNotices.isEmpty)
        #expect(model.status?.text == "The selected participant's hand is not raised.")
        #expect(model.status?.isError == true)
    }

    @Test func bigXAsksThenLowersEveryHand() {
        var model = keysModel { $0.hands = [(userId: "bob", raisedAt: 0), (userId: "carol", raisedAt: 1)] }
        let ask = model.hit(.character("X"))
        #expect(ask.ignoringNotices.isEmpty)
        #expect(model.mode == .confirm(.lowerAll))
        let yes = model.hit(.character("y"))
        #expect(yes.ignoringNotices == [.perform(.lowerAllHands)])
        #expect(model.mode == .normal)
    }

    @Test func bigXWithNoHandsDoesNothing() {
        var model = keysModel()
        let effects = model.hit(.character("X"))
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
    }

    @Test func anyOtherKeyCancelsAConfirmation() {
        var model = keysModel { $0.hands = [(userId: "bob", raisedAt: 0)] }
        model.hit(.character("X"))
        let no = model.hit(.character("n"))
        #expect(no.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
        #expect(model.status?.text == "Cancelled.")

        model.hit(.character("X"))
        let escape = model.hit(.escape)
        #expect(escape.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
    }

    @Test func bigKAsksThenRemovesTheSelected() {
        var model = keysModel()
        // alice is selected: you cannot remove yourself.
        let refused = model.hit(.character("K"))
        #expect(refused.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
        #expect(model.status?.text == "Select someone else to remove (j/k).")
        #expect(model.status?.isError == true)

        model.hit(.character("j"))
        let ask = model.hit(.character("K"))
        #expect(ask.ignoringNotices.isEmpty)
        #expect(model.mode == .confirm(.remove(userId: "bob")))
        let yes = model.hit(.character("Y"))
        #expect(yes.ignoringNotices == [.perform(.remove("bob"))])
        #expect(model.mode == .normal)
    }

    @Test func bigEAsksThenEnds() {
        var model = keysModel()
        let ask = model.hit(.character("E"))
        #expect(ask.ignoringNotices.isEmpty)
        #expect(model.mode == .confirm(.end))
        let yes = model.hit(.character("y"))
        #expect(yes.ignoringNotices == [.perform(.end)])

        // q while confirming cancels; it does not quit.
        model.hit(.character("E"))
        let q = model.hit(.character("q"))
        #expect(q.ignoringNotices.isEmpty)
        #expect(model.mode == .normal)
        #expect(model.status?.text == "Cancelled.")
    }

    // MARK: Music

    @Test func plusAndMinusStepTheVolumeByTen() {
        var model = withMusic(volume: 40)
        let up = model.hit(.character("+"))
        #expect(up.ignoringNotices == [.perform(.setVolume(50))])
        let down = model.hit(.character("-"))
        #expect(down.ignoringNotices == [.perform(.setVolume(30))], "the volume changes when the server says so")

        _ = model.update(roomEvent("meeting:music-volume-updated", seq: 2, [("volume", 50), ("by", "alice")]))
        let upAgain = model.hit(.character("+"))
        #expect(upAgain.ignoringNotices == [.perform(.setVolume(60))])
    }

    @Test func theVolumeIsClamped() {
        var loud = withMusic(volume: 95)
        let toMax = loud.hit(.character("+"))
        #expect(toMax.ignoringNotices == [.perform(.setVolume(100))])

        var max = withMusic(volume: 100)
        let pastMax = max.hit(.character("+"))
        #expect(pastMax.ignoringNotices.isEmpty)

        var quiet = withMusic(volume: 5)
        let toZero = quiet.hit(.character("-"))
        #expect(toZero.ignoringNotices == [.perform(.setVolume(0))])

        var silent = withMusic(volume: 0)
        let pastZero = silent.hit(.character("-"))
        #expect(pastZero.ignoringNotices.isEmpty)
    }

    @Test func volumeWithoutMusicIsRefused() {
        var model = keysModel()
        for key in ["+", "-"] as [Character] {
            let effects = model.hit(.character(key))
            #expect(effects.ignoringNotices.isEmpty)
            #expect(model.status?.text == "No music is playing; press m to start some.")
            #expect(model.status?.isError == true)
        }
    }

    @Test func mAsksForATrack() {
        var model = keysModel()
        let ask = model.hit(.character("m"))
        #expect(ask.ignoringNotices.isEmpty)
        #expect(model.mode == .input(.music, text: ""))
        model.typeText("Lo-fi beats")
        let start = model.hit(.enter)
        #expect(start.ignoringNotices == [.perform(.startMusic(track: "Lo-fi beats", volume: nil))])
        #expect(model.mode == .normal)
    }

    @Test func mStopsPlayingMusic() {
        var model = withMusic(volume: 40)
        let stop = model.hit(.character("m"))
        #expect(stop.ignoringNotices == [.perform(.stopMusic)])
        #expect(model.mode == .normal)
    }

    // MARK: Links

    @Test func uSharesALinkWithATitle() {
        var model = keysModel()
        model.hit(.character("u"))
        #expect(model.mode == .input(.resource, text: ""))
        model.typeText("https://example.com/agenda Weekly agenda")
        let share = model.hit(.enter)
        #expect(share.ignoringNotices == [.perform(.shareResource(title: "Weekly agenda", url: "https://example.com/agenda"))])
    }

    @Test func aLinkWithoutATitleIsItsOwnTitle() {
        var model = keysModel()
        model.hit(.character("u"))
        model.typeText("http://example.com/a")
        let share = model.hit(.enter)
        #expect(share.ignoringNotices == [.perform(.shareResource(title: "http://example.com/a", url: "http://example.com/a"))])
    }

    @Test func theTitleMayComeFirst() {
        var model = keysModel()
        model.hit(.character("u"))
        model.typeText("Agenda https://example.com/agenda")
        let share = model.hit(.enter)
        #expect(share.ignoringNotices == [.perform(.shareResource(title: "Agenda", url: "https://example.com/agenda"))])
    }

    @Test func onlyHTTPLinksAreShared() {
        for line in ["ftp://example.com/file", "example.com/agenda", "javascript:alert(1)"] {
            var model = keysModel()
            model.hit(.character("u"))
            model.typeText(line)
            let share = model.hit(.enter)
            #expect(share.ignoringNotices.isEmpty, "\(line)")
            #expect(model.status?.text == "A link must start with http:// or https://.")
            #expect(model.status?.isError == true)
        }
    }

    // MARK: Commands

    @Test func commandsAskForActions() {
        let cases: [(String, [ClientEffect])] = [
            ("raise", [.perform(.raiseHand)]),
            ("lower", [.perform(.lowerHand(userId: nil))]),
            ("lower Carol", [.perform(.lowerHand(userId: "carol"))]),
            ("lowerall", [.perform(.lowerAllHands)]),
            ("lock", [.perform(.lock)]),
            ("unlock", [.perform(.unlock)]),
            ("LOCK", [.perform(.lock)]),
            ("promote bob", [.perform(.promote("bob"))]),
            ("promote Bob", [.perform(.promote("bob"))]),
            ("promote BOB", [.perform(.promote("bob"))]),
            ("demote carol", [.perform(.demote("carol"))]),
            ("remove Carol", [.perform(.remove("carol"))]),
            ("readmit zed", [.perform(.readmit("zed"))]),
            ("record", [.perform(.startRecording)]),
            ("record off", [.perform(.stopRecording)]),
            ("screen", [.perform(.startScreenshare)]),
            ("share https://example.com/notes Notes", [.perform(.shareResource(title: "Notes", url: "https://example.com/notes"))]),
            ("music Jazz hands", [.perform(.startMusic(track: "Jazz hands", volume: nil))]),
            ("music stop", [.perform(.stopMusic)]),
            ("volume 30", [.perform(.setVolume(30))]),
            ("volume 0", [.perform(.setVolume(0))]),
            ("say hello world", [.perform(.sendMessage("hello world"))]),
            ("quit", [.quit(leave: true)]),
        ]
        for (line, expected) in cases {
            var model = keysModel()
            let effects = model.command(line)
            #expect(effects == expected, ":\(line)")
            #expect(model.mode == .normal, ":\(line)")
            #expect(model.status?.text == nil, ":\(line)")
        }
    }

    @Test func theCommandPromptOpensWithAColon() {
        var model = keysModel()
        model.hit(.character(":"))
        #expect(model.mode == .input(.command, text: ""))
        model.typeText("lock")
        #expect(model.mode == .input(.command, text: "lock"))
    }

    @Test func volumeOutOfRangeIsRefused() {
        for line in ["volume 300", "volume -1", "volume loud", "volume"] {
            var model = keysModel()
            let effects = model.command(line)
            #expect(effects.ignoringNotices.isEmpty, ":\(line)")
            #expect(model.status?.text == ":volume takes a number from 0 to 100.", ":\(line)")
            #expect(model.status?.isError == true)
        }
    }

    @Test func anUnknownCommandSaysSo() {
        var model = keysModel()
        let effects = model.command("dance")
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.status?.text == "Unknown command :dance; press ? for the list.")
        #expect(model.status?.isError == true)
    }

    @Test func aCommandWithoutItsParticipantSaysSo() {
        var model = keysModel()
        let effects = model.command("promote")
        #expect(effects.ignoringNotices.isEmpty)
        #expect(model.status?.text == ":promote needs a participant: :promote <name or id>")
    }

    @Test func endAndHelpCommandsOpenTheirScreens() {
        var model = keysModel()
        let end = model.command("end")
        #expect(end.ignoringNotices.isEmpty)
        #expect(model.mode == .confirm(.end))
        model.hit(.character("n"))

        let help = model.command("help")
        #expect(help.ignoringNotices.isEmpty)
        #expect(model.mode == .help)
    }
}
