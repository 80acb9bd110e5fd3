@testable import MeetTUI
import MeetingsContract
import SocketIOProtocol
import Testing

/// Snapshot tests of the whole screen on an in-memory ``CellGrid``.
@Suite struct LayoutTests {
    static let longName = "Maximilian Alexander Montgomery-Smithson III"

    /// A busy meeting at 10:15:00, seen by alice (host): bob and carol have raised hands (3 min
    /// and 45 s ago), Erin 恵林 shares her screen, Maximilian went offline, music plays, the
    /// recording started 5 minutes ago, the meeting is locked; bob is selected.
    func busyModel(_ options: ClientModel.Options = ClientModel.Options()) -> ClientModel {
        let json = snapshot(seq: 20) { room in
            room.participants = [
                .alice, .bob, .carol,
                Person(userId: "erin", name: "Erin 恵林"),
                Person(userId: "max", name: LayoutTests.longName),
            ]
            room.music = (track: "Lo-fi beats", volume: 40, startedBy: "alice", startedAt: 300)
        }
        var model = connectedModel(options: options, snapshot: json)
        let slides = messageJSON(id: "c1", userId: "carol", name: "Carol", text: "Can you share the slides?", at: 780)
        _ = model.update(roomEvent("meeting:recording-started", seq: 21, at: 600, [("by", "alice"), ("startedAt", Fixture.iso(600))]))
        _ = model.update(roomEvent("meeting:screenshare-started", seq: 22, at: 660, [("userId", "erin")]))
        _ = model.update(handRaised("bob", seq: 23, at: 720, position: 1))
        _ = model.update(roomEvent("meeting:message", seq: 24, at: 780, [("message", slides)]))
        _ = model.update(handRaised("carol", seq: 25, at: 855, position: 2))
        _ = model.update(roomEvent("meeting:locked", seq: 26, at: 870, [("by", "alice")]))
        _ = model.update(roomEvent("meeting:presence-updated", seq: 27, at: 880, [("userId", "max"), ("online", false)]))
        _ = model.update(.tick(Fixture.time(900)))
        _ = model.update(.roundTrip(milliseconds: 42))
        model.hit(.down)
        return model
    }

    /// The characters on the screen that are neither ASCII nor part of a participant's name.
    func nonASCII(_ grid: CellGrid) -> [String] {
        let names = ["Erin 恵林", LayoutTests.longName]
        let allowed = Set(names.flatMap { Array($0.unicodeScalars) }.filter { !$0.isASCII })
        return grid.text.unicodeScalars.filter { !$0.isASCII && !allowed.contains($0) }.map { String($0) }
    }

    @Test func theBusyMeetingIsAsDescribed() {
        let model = busyModel()
        #expect(model.isHost)
        #expect(!model.stale)
        #expect(model.selected == "bob")
        #expect(model.room?.seq == 27)
        #expect(model.activity.count == 7)
        #expect(model.status?.text == nil)
    }

    // MARK: Snapshots

    @Test func busyMeetingAt80x24() {
        let grid = render(busyModel())
        let expected = """
         Weekly sync  m1  🔒 LOCKED                                   ● REC 05:00 Alice
        ────────────────────────────────────────────────────────────────────────────────
         Participants (5)                     │ Hand queue (2)
           ★ Alice (you)                      │ 1. ✋ Bob  3m
         ▶   Bob ✋1 3m                       │ 2. ✋ Carol  45s
             Carol ✋2 45s                    │
             Erin 恵林 ▣                      │ Activity
             Maximilian Alexander Montgo… ○off│ 10:10 Alice started recording
                                              │ 10:11 Erin 恵林 is sharing their screen
                                              │ 10:12 Bob raised a hand (#1)
                                              │ 10:13 <Carol> Can you share the slides?
                                              │ 10:14 Carol raised a hand (#2)
                                              │ 10:14 Alice locked the meeting
                                              │ 10:14 Maximilian Alexander Montgomery-S…
                                              │
                                              │
                                              │
                                              │
                                              │
                                              │
                                              │
        ────────────────────────────────────────────────────────────────────────────────
         ● connected over websocket · rtt 42 ms │ ♪ Lo-fi beats 40% │ ▣ Erin 恵林 is sh…
         h hand  c chat  s screen  u link  : command  / find  ? help  q quit  │ host: L…
        """
        #expect(grid.text == expected)
        #expect(grid.frames == 1)
    }

    @Test func busyMeetingAt120x40() {
        let grid = render(busyModel(), rows: 40, columns: 120)
        let expected = """
         Weekly sync  m1  🔒 LOCKED                                                                           ● REC 05:00 Alice
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
         Participants (5)                                      │ Hand queue (2)
           ★ Alice (you)                                       │ 1. ✋ Bob  3m
         ▶   Bob ✋1 3m                                        │ 2. ✋ Carol  45s
             Carol ✋2 45s                                     │
             Erin 恵林 ▣                                       │ Activity
             Maximilian Alexander Montgomery-Smithson III ○off │ 10:10 Alice started recording
                                                               │ 10:11 Erin 恵林 is sharing their screen
                                                               │ 10:12 Bob raised a hand (#1)
                                                               │ 10:13 <Carol> Can you share the slides?
                                                               │ 10:14 Carol raised a hand (#2)
                                                               │ 10:14 Alice locked the meeting
                                                               │ 10:14 Maximilian Alexander Montgomery-Smithson III went offline
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
                                                               │
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
         ● connected over websocket · rtt 42 ms │ ♪ Lo-fi beats 40% │ ▣ Erin 恵林 is sharing │ synced · seq 27
         h hand  c chat  s screen  u link  : command  / find  ? help  q quit  │ host: L lock p/d host n next x/X lower K remove…
        """
        #expect(grid.text == expected)
    }

    @Test func busyMeetingAtTheMinimumSize() {
        #expect(Layout.minimum.rows == 16)
        #expect(Layout.minimum.columns == 60)
        let grid = render(busyModel(), rows: 16, columns: 60)
        let expected = """
         Weekly sync  m1  🔒 LOCKED               ● REC 05:00 Alice
        ────────────────────────────────────────────────────────────
         Participants (5)         │ Hand queue (2)
           ★ Alice (you)          │ 1. ✋ Bob  3m
         ▶   Bob ✋1 3m           │ 2. ✋ Carol  45s
             Carol ✋2 45s        │
             Erin 恵林 ▣          │ Activity
             Maximilian Alex… ○off│ 10:11 Erin 恵林 is sharing thei…
                                  │ 10:12 Bob raised a hand (#1)
                                  │ 10:13 <Carol> Can you share the…
                                  │ 10:14 Carol raised a hand (#2)
                                  │ 10:14 Alice locked the meeting
                                  │ 10:14 Maximilian Alexander Mont…
        ────────────────────────────────────────────────────────────
         ● connected over websocket · rtt 42 ms │ ♪ Lo-fi beats 40%…
         h hand  c chat  s screen  u link  : command  / find  ? hel…
        """
        #expect(grid.text == expected)
    }

    @Test func helpOverlay() {
        var model = busyModel()
        model.hit(.character("?"))
        let grid = render(model)
        let expected = """
         Weekly ┌──────────────────────────────────────────────────────────────┐0 Alice
        ────────│ Keys                                                         │────────
         Partici│   h         raise or lower your hand                         │
           ★ Ali│   j k ↑ ↓   select a participant                             │
         ▶   Bob│   c Enter   write a chat message                             │
             Car│   s         start or stop sharing your screen                │
             Eri│   u         share a link (URL [title])                       │
             Max│   /         find participants by name (Esc clears)           │
                │   PgUp PgDn scroll the activity                              │ screen
                │   :         command line                                     │
                │   q         leave the meeting and quit                       │slides?
                │ Host keys                                                    │
                │   L lock/unlock   p promote   d demote   r recording         │
                │   x lower selected hand   X lower all   K remove selected    │omery-S…
                │   n next speaker   m music/stop   + - volume   E end for all │
                │ Commands                                                     │
                │   :raise :lower [who] :lowerall :lock :unlock :say TEXT      │
                │   :promote WHO :demote WHO :remove WHO :readmit WHO          │
                │   :record [on|off] :screen [on|off] :share URL [title]       │
                │   :music TRACK | stop  :volume N  :end  :quit                │
                │ Music, recording and screenshare are shared status only:     │
        ────────│ meet plays, records and shows no media. Any key closes this. │────────
         ● conne└──────────────────────────────────────────────────────────────┘ is sh…
         h hand  c chat  s screen  u link  : command  / find  ? help  q quit  │ host: L…
        """
        #expect(grid.text == expected)
    }

    // MARK: Too small

    @Test func belowTheMinimumSaysTheTerminalIsTooSmall() {
        let grid = render(busyModel(), rows: 15, columns: 59)
        let message = ["Terminal too small: 59×15.", "meet needs at least 60×16.", "Enlarge the window, or press q to leave."]
        #expect(grid.lines == message + Array(repeating: "", count: 12))

        let short = render(busyModel(), rows: 15, columns: 80)
        #expect(short.lines.first == "Terminal too small: 80×15.")
        let narrow = render(busyModel(), rows: 24, columns: 59)
        #expect(narrow.lines.first == "Terminal too small: 59×24.")
        let tiny = render(busyModel(), rows: 10, columns: 20)
        #expect(Array(tiny.lines.prefix(3)) == ["Terminal too small:…", "meet needs at least…", "Enlarge the window,…"])
    }

    // MARK: ASCII and colour

    @Test func asciiUsesOnlyASCII() {
        let grid = render(busyModel(ClientModel.Options(ascii: true)))
        let found = nonASCII(grid)
        #expect(found.isEmpty, "not ASCII: \(found)")
        let lines = grid.lines
        #expect(lines[0] == " Weekly sync  m1  [LOCKED]                                    (REC) 05:00 Alice")
        #expect(lines[1] == String(repeating: "-", count: 80))
        #expect(lines[3] == "   * Alice (you)                      | 1. ^ Bob  3m")
        #expect(lines[4] == " >   Bob ^1 3m                        | 2. ^ Carol  45s")
        #expect(lines[6] == "     Erin 恵林 #                      | Activity")
        #expect(lines[7] == "     Maximilian Alexander Montgo~ ooff| 10:10 Alice started recording")
        #expect(lines[13] == "                                      | 10:14 Maximilian Alexander Montgomery-S~")
        #expect(lines[21] == String(repeating: "-", count: 80))
        #expect(lines[22] == " + connected over websocket - rtt 42 ms | ~ Lo-fi beats 40% | # Erin 恵林 is sh~")
        #expect(lines[23] == " h hand  c chat  s screen  u link  : command  / find  ? help  q quit  | host: L~")
    }

    @Test func asciiOnTheOtherScreens() {
        let ascii = ClientModel.Options(ascii: true)
        var help = busyModel(ascii)
        help.hit(.character("?"))
        var chat = busyModel(ascii)
        chat.hit(.character("c"))
        chat.typeText("hello")
        var confirm = busyModel(ascii)
        confirm.hit(.character("E"))
        var reconnecting = busyModel(ascii)
        _ = reconnecting.update(.connection(.reconnecting(attempt: 2, nextInMilliseconds: 3000)))
        var offline = busyModel(ascii)
        _ = offline.update(.connection(.offline(reason: "network is unreachable")))
        for (label, model) in [("help", help), ("chat", chat), ("confirm", confirm), ("reconnecting", reconnecting), ("offline", offline)] {
            let found = nonASCII(render(model))
            #expect(found.isEmpty, "\(label): not ASCII: \(found)")
        }
        #expect(render(help).lines[3] == "   * Ali|   j k up down   select a participant                         |")
        #expect(render(reconnecting).lines[0] == " Weekly sync  m1  [LOCKED]  [STALE]                           (REC) 05:00 Alice")
    }

    @Test func asciiWhileJoiningAndWhenTooSmall() {
        let ascii = ClientModel.Options(ascii: true)
        let joining = render(ClientModel(me: "alice", meetingId: "m1", options: ascii, now: Fixture.start))
        let joiningFound = nonASCII(joining)
        #expect(joiningFound.isEmpty, "joining: not ASCII: \(joiningFound)")
        #expect(joining.lines[0] == " Joining m1...")
        #expect(joining.lines[22] == " o connecting...")

        let tooSmall = render(busyModel(ascii), rows: 15, columns: 59)
        let tooSmallFound = nonASCII(tooSmall)
        #expect(tooSmallFound.isEmpty, "too small: not ASCII: \(tooSmallFound)")
        #expect(Array(tooSmall.lines.prefix(2)) == ["Terminal too small: 59x15.", "meet needs at least 60x16."])
    }

    @Test func withoutColourEveryCellIsNormal() {
        let options = ClientModel.Options(color: false)
        var confirm = busyModel(options)
        confirm.hit(.character("E"))
        var help = busyModel(options)
        help.hit(.character("?"))
        var failed = busyModel(options)
        _ = failed.update(.failed("Too many requests; try again in a second."))
        var offline = busyModel(options)
        _ = offline.update(.connection(.offline(reason: "network is unreachable")))
        let grids = [
            render(busyModel(options)), render(busyModel(options), rows: 40, columns: 120),
            render(confirm), render(help), render(failed), render(offline),
        ]
        for grid in grids {
            let colours = Set(grid.cells.joined().map(\.style.color))
            let normal: Set<Style.Color> = [.normal]
            #expect(colours == normal)
            #expect(grid.cells.joined().allSatisfy { cell in !cell.style.dim })
        }
    }

    @Test func withColourTheScreenUsesEveryColour() {
        let grid = render(busyModel())
        let colours = Set(grid.cells.joined().map(\.style.color))
        let all: Set<Style.Color> = [.normal, .red, .green, .yellow, .blue, .magenta, .cyan]
        #expect(colours == all)
    }

    // MARK: The bottom lines

    @Test func aChatPromptAtTheBottom() {
        var model = busyModel()
        model.hit(.character("c"))
        model.typeText("hello there")
        let grid = render(model)
        #expect(grid.lines[23] == "say: hello there_")
        #expect(grid.lines[22] == " ● connected over websocket · rtt 42 ms │ ♪ Lo-fi beats 40% │ ▣ Erin 恵林 is sh…")
    }

    @Test func aLongChatLineShowsItsEnd() {
        var model = busyModel()
        model.hit(.character("c"))
        model.typeText(String(repeating: "0123456789", count: 10))
        let grid = render(model)
        #expect(grid.lines[23] == "say: 7890123456789012345678901234567890123456789012345678901234567890123456789_")
    }

    @Test func otherPrompts() {
        var command = busyModel()
        command.hit(.character(":"))
        command.typeText("promote bob")
        #expect(render(command).lines[23] == ":promote bob_")

        var link = busyModel()
        link.hit(.character("u"))
        #expect(render(link).lines[23] == "share link (URL [title]): _")
    }

    @Test func aConfirmationAtTheBottom() {
        var model = busyModel()
        model.hit(.character("E"))
        #expect(render(model).lines[23] == "End the meeting for everyone? y to confirm, any other key to cancel")
    }

    @Test func aStatusMessageReplacesTheKeys() {
        var model = busyModel()
        _ = model.update(.failed("Too many requests; try again in a second."))
        #expect(render(model).lines[23] == " Too many requests; try again in a second.")
    }

    @Test func participantsSeeNoHostKeys() {
        let model = connectedModel(me: "bob", snapshot: snapshot(seq: 1) { $0.participants = [.alice, .bob] })
        #expect(render(model).lines[23] == " h hand  c chat  s screen  u link  : command  / find  ? help  q quit")
    }

    // MARK: Connection

    @Test func reconnectingShowsInTheStatusLineAndTheHeaderSaysStale() {
        var model = busyModel()
        _ = model.update(.connection(.reconnecting(attempt: 2, nextInMilliseconds: 3000)))
        let grid = render(model)
        #expect(grid.lines[0] == " Weekly sync  m1  🔒 LOCKED  ⚠ STALE                          ● REC 05:00 Alice")
        #expect(grid.lines[22] == " ○ reconnecting (attempt 2, next in 3 s) │ stale 0s │ ♪ Lo-fi beats 40% │ ▣ Eri…")
    }

    @Test func offlineShowsInTheStatusLine() {
        var model = busyModel()
        _ = model.update(.connection(.offline(reason: "network is unreachable")))
        let grid = render(model)
        #expect(grid.lines[0] == " Weekly sync  m1  🔒 LOCKED  ⚠ STALE                          ● REC 05:00 Alice")
        #expect(grid.lines[22] == " ○ offline: network is unreachable │ stale 0s │ ♪ Lo-fi beats 40% │ ▣ Erin 恵林…")
    }

    @Test func staleUntilTheSnapshotAfterAReconnect() {
        var model = busyModel()
        _ = model.update(.connection(.offline(reason: "network is unreachable")))
        _ = model.update(.connection(.connected(transport: "websocket")))
        let grid = render(model)
        #expect(grid.lines[0] == " Weekly sync  m1  🔒 LOCKED  ⚠ STALE                          ● REC 05:00 Alice")
        #expect(grid.lines[22] == " ● connected over websocket · rtt 42 ms │ stale 0s │ ♪ Lo-fi beats 40% │ ▣ Erin…")
    }

    @Test func beforeTheSnapshotTheScreenSaysJoining() {
        let model = ClientModel(me: "alice", meetingId: "m1", now: Fixture.start)
        let lines = render(model).lines
        #expect(lines[0] == " Joining m1…")
        #expect(lines[2] == " Participants (0)         │ Hand queue (0)")
        #expect(lines[3] == "                          │ no hands raised")
        #expect(lines[5] == "                          │ Activity")
        #expect(lines[22] == " ○ connecting…")
        #expect(lines[23] == " h hand  c chat  s screen  u link  : command  / find  ? help  q quit")
    }

    // MARK: Names

    @Test func aNameWiderThanTheColumnIsCutByDisplayWidth() {
        // 32 characters, 64 columns.
        let wide = String(repeating: "恵林", count: 16)
        let model = connectedModel(snapshot: snapshot(seq: 1) { $0.participants = [.alice, Person(userId: "zoe", name: wide)] })

        let grid = render(model)
        // The column grows to its widest row but leaves the right column 42 of 80: it is 38
        // wide: "    " + 16 characters (32 columns) + "…", then the separator.
        #expect(grid.lines[4] == "     恵林恵林恵林恵林恵林恵林恵林恵林…│")
        #expect(grid.cells[4][37].text == "…")
        #expect(grid.cells[4][38].text == "│")

        // At 120 columns, half: 60.
        let wider = render(model, rows: 40, columns: 120)
        #expect(wider.lines[4] == "     恵林恵林恵林恵林恵林恵林恵林恵林恵林恵林恵林恵林恵林恵…│")

        let ascii = connectedModel(options: ClientModel.Options(ascii: true), snapshot: snapshot(seq: 1) {
            $0.participants = [.alice, Person(userId: "zoe", name: wide)]
        })
        #expect(render(ascii).lines[4] == "     恵林恵林恵林恵林恵林恵林恵林恵林~|")
    }

    @Test func theLongNameInTheBusyMeetingIsCut() {
        let lines = render(busyModel()).lines
        #expect(lines[7] == "     Maximilian Alexander Montgo… ○off│ 10:10 Alice started recording")
        // With room to spare, the roster is as wide as the name.
        let wide = render(busyModel(), rows: 40, columns: 120).lines
        #expect(wide[7] == "     Maximilian Alexander Montgomery-Smithson III ○off │ 10:10 Alice started recording")
    }
}

