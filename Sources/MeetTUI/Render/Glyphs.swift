/// The markers the screen uses, with an ASCII form of each (`--ascii`).
public struct Glyphs: Sendable {
    public let host, hand, sharing, offline, online, recording, music, locked, selected, rule, separator: String
    public let ellipsis, dot, times, stale, ended, more: String

    public static let unicode = Glyphs(host: "★", hand: "✋", sharing: "▣", offline: "○", online: "●", recording: "● REC",
                                      music: "♪", locked: "🔒 LOCKED", selected: "▶", rule: "─", separator: "│",
                                      ellipsis: "…", dot: "·", times: "×", stale: "⚠ STALE", ended: "■ ENDED", more: "↓ more")
    public static let ascii = Glyphs(host: "*", hand: "^", sharing: "#", offline: "o", online: "+", recording: "(REC)",
                                    music: "~", locked: "[LOCKED]", selected: ">", rule: "-", separator: "|",
                                    ellipsis: "...", dot: "-", times: "x", stale: "[STALE]", ended: "[ENDED]", more: "v more")
}
