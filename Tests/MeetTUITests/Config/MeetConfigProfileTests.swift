import Foundation
@testable import MeetTUI
import Testing

/// The config's newer settings: `announce`, `announce_file`, `log`, `[hooks]`, `[keys]` and
/// per-meeting profiles, with errors that say the line.
@Suite struct MeetConfigProfileTests {
    func parseError(_ text: String) -> String? {
        let error = #expect(throws: ConfigError.self) { try MeetConfig.parse(text) }
        return error?.description
    }

    @Test func readsTheNewSettings() throws {
        let config = try MeetConfig.parse("""
            announce = "hands, joins"
            announce_file = "~/announce.txt"
            log = false

            [hooks]
            hand_raised = ["notify-send", "{who} raised a hand ({position})"]
            message = []

            [keys]
            hand = "H"
            quit = "Q"
            """)
        #expect(config.announce == [.hands, .joins])
        #expect(config.announceFile == "~/announce.txt")
        #expect(config.log == false)
        #expect(config.hooks == ["hand_raised": ["notify-send", "{who} raised a hand ({position})"], "message": []])
        #expect(config.activeHooks == ["hand_raised": ["notify-send", "{who} raised a hand ({position})"]])
        #expect(config.keys == ["hand": "H", "quit": "Q"])
        let keys = try config.keyMap()
        #expect(keys.action(for: "H") == .hand)
        #expect(keys.action(for: "h") == nil)
    }

    @Test func announceIsAStringOrAList() throws {
        #expect(try MeetConfig.parse(#"announce = ["chat", "host"]"#).announce == [.chat, .host])
        #expect(try MeetConfig.parse(#"announce = "all""#).announce == Set(AnnounceCategory.allCases))
        #expect(try MeetConfig.parse(#"announce = "none""#).announce == [])
        #expect(try MeetConfig.parse("").announce == nil)
        #expect(parseError("\n" + #"announce = "hands,jions""#)
            == "config.toml:2: unknown announce category 'jions' (known: hands, joins, host, chat, all, none)")
        #expect(parseError("announce = true")?.hasPrefix("config.toml:1: announce must be a string or a list of categories") == true)
    }

    @Test func anUnknownHookEventNamesTheKnownOnes() {
        let error = parseError("""
            bell = false

            [hooks]
            hand_raised = ["true"]
            hand_rased = ["true"]
            """)
        #expect(error?.hasPrefix("config.toml:5: unknown hook event 'hand_rased' (known: participant_joined, participant_left, ") == true)
        #expect(error?.contains("hand_raised") == true)
    }

    @Test func aHookIsAListOfStrings() {
        #expect(parseError("[hooks]\nhand_raised = \"notify-send hi\"")
            == #"config.toml:2: hooks.hand_raised must be a list of strings: the program and its arguments, e.g. ["notify-send", "{who} raised a hand"]"#)
        #expect(parseError("[hooks]\nhand_raised = [\"\", \"x\"]") == "config.toml:2: hooks.hand_raised starts with an empty program name")
        #expect(parseError("hooks = 3")?.hasPrefix("config.toml:1: [hooks] is a table") == true)
    }

    @Test func keysAreChecked() {
        #expect(parseError("[keys]\nhand = \"H\"\nhnad = \"x\"")?.hasPrefix("config.toml:3: [keys]: unknown action 'hnad'; known: ") == true)
        #expect(parseError("[keys]\nchat = \"h\"\n")
            == "config.toml:2: [keys]: 'h' is bound twice, to chat and to hand; give one of them another key")
        #expect(parseError("[keys]\n\nhand = \"HH\"")?.hasPrefix("config.toml:3: [keys]: hand must be one character") == true)
        #expect(parseError("[keys]\nhand = 7") == #"config.toml:2: keys.hand must be one character in quotes, e.g. hand = "h""#)
    }

    @Test func anUnknownSettingInATableSaysItsLine() {
        #expect(parseError("""
            server = "http://a:3002"
            [meeting."k3v9-x7qp-2mzt-8hdc"]
            bell = false
            colr = true
            """) == #"config.toml:4: unknown setting 'colr' in the profile [meeting.k3v9-x7qp-2mzt-8hdc] (known: server, servers, token_file, ascii, color, bell, announce, announce_file, log, hooks, keys)"#)
        #expect(parseError("[meeting.a]\n[meeting.a.meeting.b]\nbell = true")?.hasPrefix("config.toml:2: unknown setting 'meeting' in the profile [meeting.a]") == true)
    }

    @Test func theFirstUnknownSettingByLineIsReported() {
        // TOMLKit gives keys in name order; the error is about the first in the file.
        #expect(parseError("zz = 1\naa = 2")?.hasPrefix("config.toml:1: unknown setting 'zz'") == true)
    }

    @Test func aProfileOverridesTheTopLevel() throws {
        let config = try MeetConfig.parse("""
            server = "http://a:3002"
            bell = true
            announce = "hands"
            [hooks]
            hand_raised = ["notify-send", "{who}"]
            participant_joined = ["notify-send", "{who} joined"]
            [keys]
            hand = "H"
            chat = "C"

            [meeting."k3v9-x7qp-2mzt-8hdc"]
            bell = false
            servers = ["http://b:3002", "http://c:3002"]
            log = false
            keys.hand = "R"
            hooks.participant_joined = []
            hooks.message = ["say", "{message}"]
            """)
        #expect(config.profiles.keys.sorted() == ["k3v9-x7qp-2mzt-8hdc"])
        let top = config.profile(for: "other")
        #expect(top.servers == ["http://a:3002"])
        #expect(top.bell == true)
        #expect(top.profiles.isEmpty)
        let profile = config.profile(for: "k3v9-x7qp-2mzt-8hdc")
        #expect(profile.servers == ["http://b:3002", "http://c:3002"])
        #expect(profile.bell == false)
        #expect(profile.log == false)
        #expect(profile.announce == [.hands])
        #expect(profile.keys == ["hand": "R", "chat": "C"])
        #expect(profile.hooks == ["hand_raised": ["notify-send", "{who}"], "participant_joined": [], "message": ["say", "{message}"]])
        #expect(profile.activeHooks.keys.sorted() == ["hand_raised", "message"])
        #expect(try profile.keyMap().action(for: "R") == .hand)
    }

    @Test func aProfileThatBindsAKeyTwiceIsRefused() {
        // Each binding alone is fine; with the top level's it is not.
        let error = parseError("""
            [keys]
            hand = "H"
            [meeting.m1.keys]
            chat = "H"
            """)
        #expect(error == "config.toml:4: [keys]: 'H' is bound twice, to chat and to hand; give one of them another key (in the profile [meeting.m1], with the top level's [keys])")
    }

    @Test func aProfileMustBeATable() {
        #expect(parseError("meeting = 3") == #"config.toml:1: profiles are tables: [meeting."<meeting id>"]"#)
        #expect(parseError("[meeting]\nm1 = true") == "config.toml:2: a profile is a table: [meeting.m1]")
    }

    @Test func syntaxErrorsSayTheLine() {
        let error = parseError("bell = true\n[hooks\nhand_raised = [\"x\"]")
        #expect(error?.hasPrefix("config.toml:2: ") == true)
        #expect(parseError("[hooks]\nhand_raised = [notify-send]")?.hasPrefix("config.toml:2: hooks.hand_raised must be a list of strings") == true)
    }
}
