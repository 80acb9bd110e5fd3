@testable import MeetTUI
import Testing

/// Terminal columns as `wcwidth` counts them in a UTF-8 locale.
@Suite struct DisplayWidthTests {
    func width(_ text: String) -> Int { DisplayWidth.of(text) }

    @Test func ascii() {
        #expect(width("") == 0)
        #expect(width("a") == 1)
        #expect(width("hello, world") == 12)
        #expect(width(" ") == 1)
        #expect(DisplayWidth.of(Character("x")) == 1)
    }

    @Test func controlCharactersTakeNothing() {
        #expect(width("\u{7}") == 0)
        #expect(width("\u{7F}") == 0)
        #expect(width("\u{85}") == 0)
    }

    @Test func cjkAndFullwidthTakeTwo() {
        #expect(width("恵") == 2)
        #expect(width("恵林") == 4)
        #expect(width("Erin 恵林") == 9)
        #expect(width("한국어") == 6)
        #expect(width("ひらがな") == 8)
        #expect(width("Ａ") == 2, "fullwidth A")
        #expect(DisplayWidth.of(Character("林")) == 2)
    }

    @Test func emojiTakeTwo() {
        #expect(width("🔒") == 2)
        #expect(width("✋") == 2)
        #expect(width("😀") == 2)
        #expect(width("👍🏽") == 2, "with a skin tone")
        #expect(width("👩‍💻") == 2, "a ZWJ sequence")
        #expect(width("❤️") == 2, "a heart with VS16 (emoji presentation)")
        #expect(width("🔒 LOCKED") == 9)
    }

    @Test func symbolsTheScreenUsesTakeOne() {
        for symbol in ["★", "▣", "○", "●", "♪", "▶", "─", "│", "…", "⚠", "■", "·", "×", "↓"] {
            #expect(width(symbol) == 1, "\(symbol)")
        }
    }

    @Test func combiningMarksTakeNothing() {
        let acute: Unicode.Scalar = "\u{301}"
        #expect(DisplayWidth.of(acute) == 0)
        let zeroWidthSpace: Unicode.Scalar = "\u{200B}"
        #expect(DisplayWidth.of(zeroWidthSpace) == 0)
        let variationSelector: Unicode.Scalar = "\u{FE0F}"
        #expect(DisplayWidth.of(variationSelector) == 0)
        #expect(width("e\u{301}") == 1)
        #expect(width("e\u{301}tude") == 5)
        #expect(width("Zoë") == 3)
        #expect(width("a\u{20DD}") == 1, "an enclosing mark")
    }

    @Test func truncateKeepsWhatFits() {
        #expect(DisplayWidth.truncate("hello", to: 10) == "hello")
        #expect(DisplayWidth.truncate("hello", to: 5) == "hello")
        #expect(DisplayWidth.truncate("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello world", to: 8, ascii: true) == "hello w~")
        #expect(DisplayWidth.truncate("hello", to: 1) == "…")
        #expect(DisplayWidth.truncate("hello", to: 0) == "")
        #expect(DisplayWidth.truncate("hello", to: -3) == "")
    }

    @Test func truncateCountsColumnsNotCharacters() {
        // 4 characters, 8 columns.
        #expect(DisplayWidth.truncate("恵林恵林", to: 8) == "恵林恵林")
        #expect(DisplayWidth.truncate("恵林恵林", to: 5) == "恵林…")
        // A wide character that would stick out is left out whole.
        #expect(DisplayWidth.truncate("恵林恵林", to: 4) == "恵…")
        #expect(DisplayWidth.truncate("Erin 恵林", to: 7) == "Erin …")
        #expect(DisplayWidth.truncate("Erin 恵林", to: 8) == "Erin 恵…")
        #expect(DisplayWidth.truncate("e\u{301}tude à Paris", to: 6) == "e\u{301}tude…")
        for columns in 1...12 {
            #expect(width(DisplayWidth.truncate("Erin 恵林 and 🔒", to: columns)) <= columns)
        }
    }

    @Test func fitPadsOrCutsToExactlyTheWidth() {
        #expect(DisplayWidth.fit("abc", to: 6) == "abc   ")
        #expect(DisplayWidth.fit("abcdef", to: 6) == "abcdef")
        #expect(DisplayWidth.fit("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.fit("恵林", to: 5) == "恵林 ")
        #expect(DisplayWidth.fit("恵林恵林", to: 5) == "恵林…")
        #expect(DisplayWidth.fit("恵林恵林", to: 4) == "恵… ", "padded where the wide character did not fit")
        #expect(DisplayWidth.fit("hello world", to: 8, ascii: true) == "hello w~")
        for columns in 1...12 {
            #expect(width(DisplayWidth.fit("Erin 恵林 ✋", to: columns)) == columns)
        }
    }

    @Test func printableReplacesControlAndBidiCharacters() {
        #expect(DisplayWidth.printable("plain text, Erin 恵林 ✋") == "plain text, Erin 恵林 ✋")
        #expect(DisplayWidth.printable("line\nbreak") == "line?break")
        #expect(DisplayWidth.printable("tab\there") == "tab?here")
        #expect(DisplayWidth.printable("\u{1B}[2Jcleared") == "?[2Jcleared")
        #expect(DisplayWidth.printable("del\u{7F}c1\u{85}") == "del?c1?")
        #expect(DisplayWidth.printable("\u{202E}txet desrever") == "?txet desrever")
        #expect(DisplayWidth.printable("\u{2066}isolated\u{2069}") == "?isolated?")
        #expect(DisplayWidth.printable("e\u{301}") == "e\u{301}", "combining marks are not control characters")
    }
}
