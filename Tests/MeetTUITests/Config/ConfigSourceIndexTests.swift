@testable import MeetTUI
import Testing

/// Finding the line of a key in TOML text.
@Suite struct ConfigSourceIndexTests {
    let text = """
        # meet
        server = "http://a:3002"
          bell=true   # indented

        [hooks]
        hand_raised = [
          "notify-send",
          "x = y",
        ]
        [meeting."k3v9 x".keys]
        hand = "H"
        'quit' = "Q"
        notes = \"\"\"
        a = b
        \"\"\"
        dotted.key = 1
        [[list]]
        """

    @Test func findsKeysAndTables() {
        let index = ConfigSourceIndex(text)
        #expect(index.line(of: ["server"]) == 2)
        #expect(index.line(of: ["bell"]) == 3)
        #expect(index.line(of: ["hooks"]) == 5)
        #expect(index.line(of: ["hooks", "hand_raised"]) == 6)
        #expect(index.line(of: ["meeting", "k3v9 x", "keys"]) == 10)
        #expect(index.line(of: ["meeting", "k3v9 x", "keys", "hand"]) == 11)
        #expect(index.line(of: ["meeting", "k3v9 x", "keys", "quit"]) == 12)
        #expect(index.line(of: ["meeting", "k3v9 x", "keys", "dotted", "key"]) == 16)
        #expect(index.line(of: ["list"]) == 17)
    }

    @Test func skipsStringsAndArrayItems() {
        let index = ConfigSourceIndex(text)
        #expect(index.line(ofExactly: ["hooks", "x"]) == nil)
        #expect(index.line(ofExactly: ["meeting", "k3v9 x", "keys", "a"]) == nil)
    }

    @Test func fallsBackToTheEnclosingTable() {
        let index = ConfigSourceIndex(text)
        #expect(index.line(of: ["hooks", "message"]) == 5)
        #expect(index.line(ofExactly: ["hooks", "message"]) == nil)
        #expect(index.line(of: ["nowhere"]) == nil)
    }
}
