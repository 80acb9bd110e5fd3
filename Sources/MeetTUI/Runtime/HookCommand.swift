import Foundation
import SocketIOProtocol

/// One run of a hook, worked out before it starts: the argv of `[hooks]` with its placeholders
/// filled from a ``RoomNotice``, the program found through `PATH` (no shell is involved), and
/// the environment (the parent's plus `MEET_EVENT`, `MEET_JSON` and `MEET_MEETING`).
public struct HookCommand: Sendable, Hashable {
    /// The words, placeholders filled: `["notify-send", "Bob raised a hand (1)"]`.
    public var arguments: [String]
    public var environment: [String: String]

    /// `argv` of the config for `notice`: each `{name}` whose name is one of
    /// ``RoomNotice/placeholders`` becomes the notice's value (empty where the event has none);
    /// other braces stay as written (so `awk '{print $1}'` works). Values are not scanned again.
    public init(argv: [String], notice: RoomNotice, environment: [String: String]) {
        arguments = argv.map { Self.fill($0, notice) }
        var environment = environment
        environment["MEET_EVENT"] = notice.name
        environment["MEET_JSON"] = notice.payload.jsonString
        environment["MEET_MEETING"] = notice.fields["meeting"] ?? ""
        self.environment = environment
    }

    /// The program to run: a name with a `/` as it is (`~/` expanded); else the first
    /// executable file of that name in `PATH`. Nil when there is none.
    public var executable: URL? {
        guard let program = arguments.first, !program.isEmpty else { return nil }
        let manager = FileManager.default
        func runnable(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue && manager.isExecutableFile(atPath: path)
        }
        if program.contains("/") {
            let path = expandingHome(program, environment: environment)
            return runnable(path) ? URL(fileURLWithPath: path) : nil
        }
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let path = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if runnable(path) { return URL(fileURLWithPath: path) }
        }
        return nil
    }

    static func fill(_ word: String, _ notice: RoomNotice) -> String {
        guard word.contains("{") else { return word }
        var result = ""
        var rest = word[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), RoomNotice.placeholders.contains(String(after[..<close])) {
                let name = String(after[..<close])
                result += name == "event" ? notice.name : (notice.fields[name] ?? "")
                rest = after[after.index(after: close)...]
            } else {
                result += "{"
                rest = after
            }
        }
        return result + rest
    }
}
