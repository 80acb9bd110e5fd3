/// The markers the screen uses, with an ASCII form of each (`--ascii`).
public struct Glyphs: Sendable {
    public let host, hand, sharing, offline, online, recording, music, locked, selected, rule, separator: String
    public let ellipsis, dot, times, stale, ended: String
    /// Arrows that say more rows are below, or older lines above.
    public let more, older: String

    public static let unicode = Glyphs(host: "★", hand: "✋", sharing: "▣", offline: "○", online: "●", recording: "● REC",
                                      music: "♪", locked: "🔒 LOCKED", selected: "▶", rule: "─", separator: "│",
                                      ellipsis: "…", dot: "·", times: "×", stale: "⚠ STALE", ended: "■ ENDED", more: "↓", older: "↑")
    public static let ascii = Glyphs(host: "*", hand: "^", sharing: "#", offline: "o", online: "+", recording: "(REC)",
                                    music: "~", locked: "[LOCKED]", selected: ">", rule: "-", separator: "|",
                                    ellipsis: "...", dot: "-", times: "x", stale: "[STALE]", ended: "[ENDED]", more: "v", older: "^")
}
