import Foundation

/// `~/x` as `$HOME/x` (the user's home directory when `HOME` is unset or empty); any other path
/// as it is. The config file, `--token-file`, `--announce-file` and hooks' programs all use it.
public func expandingHome(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    guard path.hasPrefix("~/") else { return path }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + path.dropFirst()
}
