import SocketIOProtocol

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

    /// Method, path under `/api/meetings/{id}`, and JSON body.
    public var request: (method: String, path: String, body: JSONValue?) {
        switch self {
        case .raiseHand: ("POST", "/hand/raise", nil)
        case .lowerHand(let userId): ("POST", "/hand/lower", userId.map { ["userId": .string($0)] })
        case .lowerAllHands: ("POST", "/hands/lower-all", nil)
        case .lock: ("POST", "/lock", nil)
        case .unlock: ("POST", "/unlock", nil)
        case .promote(let userId): ("POST", "/hosts", ["userId": .string(userId)])
        case .demote(let userId): ("DELETE", "/hosts/\(userId)", nil)
        case .remove(let userId): ("POST", "/participants/\(userId)/remove", nil)
        case .readmit(let userId): ("POST", "/participants/\(userId)/readmit", nil)
        case .startRecording: ("POST", "/recording/start", nil)
        case .stopRecording: ("POST", "/recording/stop", nil)
        case .startScreenshare: ("POST", "/screenshare/start", nil)
        case .stopScreenshare: ("POST", "/screenshare/stop", nil)
        case .startMusic(let track, let volume):
            ("POST", "/music/start", volume.map { ["track": .string(track), "volume": .number(JSONNumber($0))] } ?? ["track": .string(track)])
        case .stopMusic: ("POST", "/music/stop", nil)
        case .setVolume(let volume): ("PUT", "/music/volume", ["volume": .number(JSONNumber(volume))])
        case .shareResource(let title, let url): ("POST", "/resources", ["title": .string(title), "url": .string(url)])
        case .sendMessage(let text): ("POST", "/messages", ["text": .string(text)])
        case .end: ("POST", "/end", nil)
        case .leave: ("POST", "/leave", nil)
        }
    }
}
