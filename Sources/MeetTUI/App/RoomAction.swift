import MeetingsContract

/// A change the user asks the server for: one REST call of the contract (meetings-api §4).
public enum RoomAction: Sendable, Hashable {
    case raiseHand
    case lowerHand(userId: String?)
    case lowerAllHands
    case lock, unlock
    case promote(String), demote(String)
    case remove(String), readmit(String)
    case startRecording, stopRecording
    case startScreenshare, stopScreenshare
    case startMusic(track: String, volume: Int?)
    case stopMusic
    case setVolume(Int)
    case shareResource(title: String, url: String)
    case sendMessage(String)
    case end
    case leave

    /// The REST call for the meeting `meetingId`: the contract's route with its parameters
    /// filled in, and its JSON body.
    public func request(in meetingId: String) -> (method: String, path: String, body: (any Encodable & Sendable)?) {
        func call<Body, Answer>(_ route: Route<Body, Answer>, _ body: Body?, user: String? = nil) -> (String, String, (any Encodable & Sendable)?) {
            (route.method, user.map { route.path(meetingId, $0) } ?? route.path(meetingId), body)
        }
        typealias Routes = MeetingsRoutes
        switch self {
        case .raiseHand: return call(Routes.raiseHand, nil)
        case .lowerHand(let userId): return call(Routes.lowerHand, userId.map { RequestBody.UserId(userId: $0) })
        case .lowerAllHands: return call(Routes.lowerAllHands, nil)
        case .lock: return call(Routes.lock, nil)
        case .unlock: return call(Routes.unlock, nil)
        case .promote(let userId): return call(Routes.promote, RequestBody.UserId(userId: userId))
        case .demote(let userId): return call(Routes.demote, nil, user: userId)
        case .remove(let userId): return call(Routes.remove, nil, user: userId)
        case .readmit(let userId): return call(Routes.readmit, nil, user: userId)
        case .startRecording: return call(Routes.startRecording, nil)
        case .stopRecording: return call(Routes.stopRecording, nil)
        case .startScreenshare: return call(Routes.startScreenshare, nil)
        case .stopScreenshare: return call(Routes.stopScreenshare, nil)
        case .startMusic(let track, let volume): return call(Routes.startMusic, RequestBody.StartMusic(track: track, volume: volume))
        case .stopMusic: return call(Routes.stopMusic, nil)
        case .setVolume(let volume): return call(Routes.setVolume, RequestBody.Volume(volume: volume))
        case .shareResource(let title, let url): return call(Routes.shareResource, RequestBody.ShareResource(title: title, url: url))
        case .sendMessage(let text): return call(Routes.postMessage, RequestBody.Message(text: text))
        case .end: return call(Routes.end, nil)
        case .leave: return call(Routes.leave, nil)
        }
    }
}
