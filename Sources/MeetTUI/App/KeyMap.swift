/// Which character does what in the normal mode: the defaults, remapped by `[keys]` in the
/// config (`hand = "H"`). Arrow keys, Enter, Escape, PgUp and PgDn are fixed.
public struct KeyMap: Sendable, Hashable {
    /// Something a key does.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case hand, chat, command, help, quit, screen, link, up, down, filter
        case nextSpeaker = "next_speaker"
        // Host keys.
        case lock, promote, demote
        case lowerHand = "lower_hand"
        case lowerAll = "lower_all"
        case remove, record, music
        case volumeUp = "volume_up"
        case volumeDown = "volume_down"
        case end

        /// Whether only hosts have it.
        public var isHostAction: Bool {
            switch self {
            case .lock, .promote, .demote, .lowerHand, .lowerAll, .remove, .record, .music, .volumeUp, .volumeDown, .end, .nextSpeaker: true
            default: false
            }
        }
    }

    public static let defaults: [Action: Character] = [
        .hand: "h", .chat: "c", .command: ":", .help: "?", .quit: "q", .screen: "s", .link: "u",
        .up: "k", .down: "j", .filter: "/", .nextSpeaker: "n",
        .lock: "L", .promote: "p", .demote: "d", .lowerHand: "x", .lowerAll: "X", .remove: "K",
        .record: "r", .music: "m", .volumeUp: "+", .volumeDown: "-", .end: "E",
    ]

    /// The key of each action.
    public private(set) var keys: [Action: Character]
    private var actions: [Character: Action]

    public init() {
        keys = Self.defaults
        actions = Dictionary(uniqueKeysWithValues: Self.defaults.map { ($0.value, $0.key) })
    }

    /// The defaults with `bindings` (action name → one character) applied. Throws, saying what to
    /// change, for an unknown action, a value that is not one character, or a key that two
    /// actions would share.
    public init(bindings: [String: String]) throws(KeyMapError) {
        var keys = Self.defaults
        for (name, value) in bindings.sorted(by: { $0.key < $1.key }) {
            guard let action = Action(rawValue: name) else {
                throw KeyMapError("[keys]: unknown action '\(name)'; known: \(Action.allCases.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            guard value.count == 1, let character = value.first, character != " ", !character.isNewline else {
                throw KeyMapError("[keys]: \(name) must be one character, e.g. \(name) = \"\(Self.defaults[action].map(String.init) ?? "x")\"; got \"\(value)\"")
            }
            keys[action] = character
        }
        var actions: [Character: Action] = [:]
        for action in Action.allCases {
            guard let key = keys[action] else { continue }
            if let other = actions[key] {
                let (first, second) = [other.rawValue, action.rawValue].sorted().pair
                throw KeyMapError("[keys]: '\(key)' is bound twice, to \(first) and to \(second); give one of them another key")
            }
            actions[key] = action
        }
        self.keys = keys
        self.actions = actions
    }

    /// The action of a typed character, if it has one.
    public func action(for character: Character) -> Action? { actions[character] }

    /// The key of an action, as the key bar and help show it.
    public func key(_ action: Action) -> String { keys[action].map(String.init) ?? "?" }
}

/// A `[keys]` table that cannot be used, said so that the user can fix it.
public struct KeyMapError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

private extension Array where Element == String {
    var pair: (String, String) { (self[0], self[1]) }
}
