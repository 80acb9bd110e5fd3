@testable import MeetingsServer
import Testing

/// A node judges other nodes only once its own heartbeats have gone through for the node
/// timeout since it last failed to reach the database (after an outage of the whole database
/// every heartbeat is old, and no node is dead).
struct NodePresenceTests {
    @Test func aNodeThatNeverFailedJudgesOthers() {
        #expect(NodePresence.SweepState().mayJudgeOthers(at: .now))
    }

    @Test func aNodeJudgesOthersAgainOnlyOnceTheTimeoutPassedSinceItsLastFailure() {
        let start = ContinuousClock.now
        var state = NodePresence.SweepState()
        state.failed(at: start)
        #expect(!state.mayJudgeOthers(at: start))
        #expect(!state.mayJudgeOthers(at: start + NodePresence.timeout - .milliseconds(1)))
        #expect(state.mayJudgeOthers(at: start + NodePresence.timeout))
        state.failed(at: start + .seconds(30))
        #expect(!state.mayJudgeOthers(at: start + .seconds(35)))
    }
}
