import Testing

@testable import SocketIOServer

@Suite struct AckTableTests {
    @Test func idsCountFromZeroAndResolveOnce() {
        var table = AckTable<String>()
        #expect(table.add("first") == 0)
        #expect(table.add("second") == 1)
        #expect(table.resolve(1) == "second")
        #expect(table.resolve(1) == nil, "a second ack for the same id is ignored")
        #expect(table.resolve(7) == nil, "an unknown id is ignored")
        #expect(table.pendingCount == 1)
    }

    @Test func removeAllTakesEveryWaiter() {
        var table = AckTable<Int>()
        _ = table.add(10)
        _ = table.add(20)
        #expect(table.removeAll().sorted() == [10, 20])
        #expect(table.pendingCount == 0)
        #expect(table.add(30) == 2, "ids keep counting")
    }
}
