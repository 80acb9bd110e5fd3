import SocketIOProtocol
@testable import SocketIOServer
import Testing

/// The recovery log on an injected clock: offsets, what a returning socket missed, expiry.
struct RecoveryLogTests {
    let t0 = ContinuousClock.now
    let keep = Duration.seconds(120)

    func event(_ name: String) -> SocketPacket { .event(name, [.string(name)]) }

    @Test func eachEventGetsAnIncreasingOffsetAsItsLastArgument() {
        var log = RecoveryLog()
        let first = log.store(event("a"), options: BroadcastOptions(), now: t0, keep: keep)
        let second = log.store(event("b"), options: BroadcastOptions(), now: t0, keep: keep)
        #expect(first.arguments == ["a", "1"])
        #expect(second.arguments == ["b", "2"])
        #expect(first.eventName == "a")
    }

    @Test func aReturningSocketGetsWhatReachedItsRoomsAfterItsOffset() {
        var log = RecoveryLog()
        let seen = log.store(event("seen"), options: BroadcastOptions(rooms: ["r"]), now: t0, keep: keep)
        log.persist(PersistedSession(sid: "s1", pid: "p1", rooms: ["s1", "r"], data: [:]), now: t0, keep: keep)
        let toRoom = log.store(event("to-room"), options: BroadcastOptions(rooms: ["r"]), now: t0, keep: keep)
        _ = log.store(event("elsewhere"), options: BroadcastOptions(rooms: ["other"]), now: t0, keep: keep)
        let toAll = log.store(event("to-all"), options: BroadcastOptions(), now: t0, keep: keep)
        _ = log.store(event("not-to-it"), options: BroadcastOptions(except: ["s1"]), now: t0, keep: keep)
        let toIt = log.store(event("to-it"), options: BroadcastOptions(rooms: ["s1"]), now: t0, keep: keep)
        let offset = try! #require(seen.arguments.last?.stringValue)
        let restored = log.restore(pid: "p1", offset: offset, now: t0 + .seconds(1))
        #expect(restored?.session.sid == "s1")
        #expect(restored?.session.rooms == ["s1", "r"])
        #expect(restored?.missedPackets == [toRoom, toAll, toIt])
        // Once only.
        #expect(log.restore(pid: "p1", offset: offset, now: t0 + .seconds(1)) == nil)
    }

    @Test func nothingIsRestoredForAnUnknownSessionOrOffsetOrAfterTheDuration() {
        var log = RecoveryLog()
        let seen = log.store(event("seen"), options: BroadcastOptions(), now: t0, keep: keep)
        let offset = try! #require(seen.arguments.last?.stringValue)
        let session = PersistedSession(sid: "s1", pid: "p1", rooms: ["s1"], data: [:])
        log.persist(session, now: t0, keep: keep)
        #expect(log.restore(pid: "p2", offset: offset, now: t0) == nil)
        #expect(log.restore(pid: "p1", offset: "zz", now: t0) == nil)
        log.persist(session, now: t0, keep: keep)
        #expect(log.restore(pid: "p1", offset: offset, now: t0 + keep + .seconds(1)) == nil)
    }

    @Test func eventsOlderThanTheDurationAreDropped() {
        var log = RecoveryLog()
        let old = log.store(event("old"), options: BroadcastOptions(), now: t0, keep: keep)
        for second in 1...200 { _ = log.store(event("e"), options: BroadcastOptions(), now: t0 + .seconds(second), keep: keep) }
        #expect(log.count == 121)
        log.persist(PersistedSession(sid: "s", pid: "p", rooms: ["s"], data: [:]), now: t0 + .seconds(200), keep: keep)
        #expect(log.restore(pid: "p", offset: old.arguments.last!.stringValue!, now: t0 + .seconds(200)) == nil)
    }
}
