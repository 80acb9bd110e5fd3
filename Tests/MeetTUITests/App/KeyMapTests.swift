@testable import MeetTUI
import Testing

/// `[keys]` in the config: the defaults, a remap, and the errors a person can act on.
@Suite struct KeyMapTests {
    @Test func theDefaultsAreTheDocumentedKeys() {
        let keys = KeyMap()
        #expect(keys.action(for: "h") == .hand)
        #expect(keys.action(for: "n") == .nextSpeaker)
        #expect(keys.action(for: "/") == .filter)
        #expect(keys.key(.lowerAll) == "X")
        #expect(Set(KeyMap.defaults.values).count == KeyMap.Action.allCases.count, "no default key is shared")
    }

    @Test func aRemapMovesTheAction() throws {
        let keys = try KeyMap(bindings: ["hand": "H", "next_speaker": "N"])
        #expect(keys.action(for: "H") == .hand)
        #expect(keys.action(for: "h") == nil)
        #expect(keys.key(.nextSpeaker) == "N")
    }

    @Test func anUnknownActionIsNamed() {
        #expect(throws: KeyMapError.self) { try KeyMap(bindings: ["raise": "R"]) }
        do {
            _ = try KeyMap(bindings: ["raise": "R"])
        } catch {
            #expect(error.description.hasPrefix("[keys]: unknown action 'raise'; known: "))
            #expect(error.description.contains("hand"))
        }
    }

    @Test func aKeyBoundTwiceNamesBothActions() {
        do {
            _ = try KeyMap(bindings: ["hand": "L"])
            Issue.record("L is the lock key: binding hand to it must fail")
        } catch {
            #expect(error.description == "[keys]: 'L' is bound twice, to hand and to lock; give one of them another key")
        }
    }

    @Test func aKeyIsOneCharacter() {
        for value in ["", "hh", " "] {
            #expect(throws: KeyMapError.self, "\(value)") { try KeyMap(bindings: ["hand": value]) }
        }
    }
}
