import BenchKit
import NIOCore
import Testing

@Suite struct DeliveryStampTests {
    @Test func readsTheStampsOfAnEvtPacket() {
        let packet = ByteBuffer(string: #"42["evt",{"t0":1234567,"s":42,"pad":"xx","te":1234600}]"#)
        #expect(DeliveryStamp(packet: packet) == DeliveryStamp(sent: 1_234_567, sequence: 42, emitted: 1_234_600))
    }

    @Test func toleratesSpacesAndAMissingServerStamp() {
        let packet = ByteBuffer(string: #"42["evt",{"t0": 5, "s": 0, "pad": "x"}]"#)
        #expect(DeliveryStamp(packet: packet) == DeliveryStamp(sent: 5, sequence: 0))
    }

    @Test(arguments: [
        #"42["other",{"t0":1,"s":2}]"#,
        #"42["evt",{"s":2}]"#,
        #"42["evt",{"t0":"1","s":2}]"#,
        #"43["evt"]"#,
        "",
    ])
    func ignoresAnythingElse(_ text: String) {
        #expect(DeliveryStamp(packet: ByteBuffer(string: text)) == nil)
    }
}
