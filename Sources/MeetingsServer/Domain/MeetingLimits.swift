import MeetingsContract

/// The checks of the contract's limits, with messages a person can act on.
extension MeetingLimits {
    /// A required text: not blank, at most `max` code points.
    static func checkText(_ text: String, field: String, max: Int) throws(MeetingError) {
        if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw .invalid("'\(field)' must not be empty.")
        }
        let count = text.unicodeScalars.count
        if count > max {
            throw .invalid("'\(field)' is \(count) characters long; the most is \(max).")
        }
    }

    static func checkVolume(_ volume: Int) throws(MeetingError) {
        guard volumeRange.contains(volume) else {
            throw .invalid("'volume' must be an integer from 0 to 100; got \(volume).")
        }
    }

    /// An absolute `http` or `https` URL with a host, at most 2048 code points.
    static func checkURL(_ url: String) throws(MeetingError) {
        let count = url.unicodeScalars.count
        if count > urlMax { throw .invalid("'url' is \(count) characters long; the most is \(urlMax).") }
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else {
            throw .invalid("'url' must start with http:// or https://.")
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.contains(where: { $0.isWhitespace }) || url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            throw .invalid("'url' must be an absolute http(s) URL with a host and no spaces.")
        }
    }
}
