import MeetingsContract
@testable import MeetingsServer
import Testing

/// Shared links and chat (meetings-api §2 limits, §3 `resources`/`messages`, §4).
@Suite struct MeetingSharingTests {
    // MARK: resources

    @Test func shareEmitsResourceSharedWithIdRAndSeq() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let previous = meeting.seq
        let (resource, events) = try meeting.shareResource(title: "Agenda", url: "https://example.com/agenda", by: .bob, at: .t(1))
        expectConsecutive(events, after: previous, in: meeting)
        #expect(resource == Resource(id: "r3", title: "Agenda", url: "https://example.com/agenda", sharedBy: "bob", sharedAt: .t(1)))
        let expected: [MeetingEvent.Kind] = [.resourceShared(resource)]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.resources == [resource])
    }

    @Test func resourceIdsFollowTheSeqOfTheirEvent() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let (first, firstEvents) = try meeting.shareResource(title: "One", url: "https://example.com/1", by: .bob, at: .t(1))
        try act(&meeting) { try $0.raiseHand(.bob, at: .t(2)) }
        let (second, secondEvents) = try meeting.shareResource(title: "Two", url: "https://example.com/2", by: .alice, at: .t(3))
        #expect(first.id == "r\(firstEvents[0].seq)")
        #expect(second.id == "r\(secondEvents[0].seq)")
        #expect([first.id, second.id] == ["r3", "r5"])
        #expect(meeting.resources.map(\.id) == ["r3", "r5"])
    }

    @Test func onlyParticipantsShare() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &meeting) { try $0.shareResource(title: "A", url: "https://example.com", by: .zed, at: .t(1)) }
        // alice is a host but has not joined.
        expectRefusal(.notParticipant, &meeting) { try $0.shareResource(title: "A", url: "https://example.com", by: .alice, at: .t(1)) }
    }

    @Test(arguments: [
        "https://example.com",
        "http://example.com",
        "https://example.com/agenda?week=48#top",
        "HTTPS://EXAMPLE.COM/Agenda",
        "Http://example.com",
        "http://localhost:8080/a",
        "https://user@example.com/",
        "https://example.com?q=1",
    ])
    func acceptsHTTPAndHTTPSURLs(url: String) throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        let previous = meeting.seq
        let (resource, events) = try meeting.shareResource(title: "Link", url: url, by: .bob, at: .t(1))
        expectConsecutive(events, after: previous, in: meeting)
        #expect(resource.url == url, "the url is kept as given")
    }

    @Test(arguments: [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "javascript://example.com/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "mailto:bob@example.com",
        "example.com",
        "//example.com",
        "https://",
        "http:///path",
        "https://exa mple.com",
        "https://example.com/a b",
        "https:// example.com",
        "https://example.com/\n",
        "",
        " https://example.com",
    ])
    func refusesOtherURLs(url: String) throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: "Link", url: url, by: .bob, at: .t(1)) }
    }

    @Test func urlsOfAtMost2048CodePointsPass() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        let prefix = "https://example.com/"
        let longest = prefix + String(repeating: "a", count: 2048 - prefix.count)
        #expect(longest.unicodeScalars.count == 2048)
        let tooLong = longest + "a"
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: "Link", url: tooLong, by: .bob, at: .t(1)) }
        let (resource, _) = try meeting.shareResource(title: "Link", url: longest, by: .bob, at: .t(2))
        #expect(resource.url == longest)
    }

    @Test func titlesCountCodePoints() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        let url = "https://example.com"
        // 200 emoji are 200 code points (800 UTF-8 bytes): allowed.
        let emoji = String(repeating: "😀", count: 200)
        #expect(emoji.utf8.count == 800)
        let (resource, _) = try meeting.shareResource(title: emoji, url: url, by: .bob, at: .t(1))
        #expect(resource.title == emoji)
        // 201 emoji: refused.
        let tooMany = String(repeating: "😀", count: 201)
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: tooMany, url: url, by: .bob, at: .t(2)) }
        // 101 characters of two code points each (e + combining acute) are 202 code points: refused.
        let combining = String(repeating: "e\u{301}", count: 101)
        #expect(combining.count == 101)
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: combining, url: url, by: .bob, at: .t(2)) }
        // 201 ASCII characters: refused; 200 pass.
        let ascii = String(repeating: "a", count: 201)
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: ascii, url: url, by: .bob, at: .t(2)) }
        let (longest, _) = try meeting.shareResource(title: String(ascii.dropLast()), url: url, by: .bob, at: .t(3))
        #expect(longest.title.count == 200)
    }

    @Test func blankTitlesAreRefused() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: "", url: "https://example.com", by: .bob, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.shareResource(title: " \t\n\u{3000}", url: "https://example.com", by: .bob, at: .t(1)) }
    }

    // MARK: chat

    @Test func postEmitsMessageWithIdMAndSeq() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let previous = meeting.seq
        let (message, events) = try meeting.postMessage("one sec, mic issue", by: .bob, at: .t(1))
        expectConsecutive(events, after: previous, in: meeting)
        #expect(message == ChatMessage(id: "m3", userId: "bob", name: "Bob", text: "one sec, mic issue", at: .t(1)))
        let expected: [MeetingEvent.Kind] = [.message(message)]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.messages == [message])
    }

    @Test func chatKeepsTheLast50MessagesOldestFirst() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        for index in 1...55 {
            let previous = meeting.seq
            let (_, events) = try meeting.postMessage("message \(index)", by: index.isMultiple(of: 2) ? Caller.alice : Caller.bob, at: .t(Int64(index)))
            expectConsecutive(events, after: previous, in: meeting)
        }
        #expect(meeting.seq == 2 + 55)
        #expect(meeting.messages.count == 50)
        #expect(meeting.messages.count == Meeting.messagesKept)
        #expect(meeting.messages.first?.text == "message 6")
        #expect(meeting.messages.last?.text == "message 55")
        let texts = meeting.messages.map(\.text)
        let expectedTexts = (6...55).map { "message \($0)" }
        #expect(texts == expectedTexts)
        #expect(meeting.messages.first?.id == "m8")
        #expect(meeting.messages.last?.id == "m57")
    }

    @Test func textsOfAtMost2000CodePointsPass() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        let longest = String(repeating: "\u{E9}", count: 2000)
        let (message, _) = try meeting.postMessage(longest, by: .bob, at: .t(1))
        #expect(message.text == longest)
        let tooLong = longest + "!"
        expectRefusal(.invalidRequest, &meeting) { try $0.postMessage(tooLong, by: .bob, at: .t(2)) }
        let tooManyEmoji = String(repeating: "😀", count: 2001)
        expectRefusal(.invalidRequest, &meeting) { try $0.postMessage(tooManyEmoji, by: .bob, at: .t(2)) }
    }

    @Test func blankTextsAreRefused() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.invalidRequest, &meeting) { try $0.postMessage("", by: .bob, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.postMessage("   ", by: .bob, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.postMessage("\n\t \r\n", by: .bob, at: .t(1)) }
    }

    @Test func textIsKeptAsWritten() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        let text = "  indented\nsecond line \"quoted\"  "
        let (message, _) = try meeting.postMessage(text, by: .bob, at: .t(1))
        #expect(message.text == text)
    }

    @Test func onlyParticipantsPost() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &meeting) { try $0.postMessage("hi", by: .zed, at: .t(1)) }
        // alice is a host but has not joined.
        expectRefusal(.notParticipant, &meeting) { try $0.postMessage("hi", by: .alice, at: .t(1)) }
    }
}
