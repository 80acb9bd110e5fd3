/// The JSON request bodies of the routes (meetings-api §4); limits in ``MeetingLimits``.
public enum RequestBody {
    /// `POST /api/meetings`, and a resource's title.
    public struct Title: Codable, Sendable, Hashable {
        public var title: String
        public init(title: String) { self.title = title }
    }

    /// `POST …/hand/lower` (whose hand; the caller's when absent) and `POST …/hosts`.
    public struct UserId: Codable, Sendable, Hashable {
        public var userId: String?
        public init(userId: String?) { self.userId = userId }
    }

    /// `POST …/music/start`; the volume is 50 when absent.
    public struct StartMusic: Codable, Sendable, Hashable {
        public var track: String
        public var volume: Int?
        public init(track: String, volume: Int?) {
            self.track = track
            self.volume = volume
        }
    }

    /// `PUT …/music/volume`.
    public struct Volume: Codable, Sendable, Hashable {
        public var volume: Int
        public init(volume: Int) { self.volume = volume }
    }

    /// `POST …/resources`.
    public struct ShareResource: Codable, Sendable, Hashable {
        public var title: String
        public var url: String
        public init(title: String, url: String) {
            self.title = title
            self.url = url
        }
    }

    /// `POST …/messages`.
    public struct Message: Codable, Sendable, Hashable {
        public var text: String
        public init(text: String) { self.text = text }
    }
}
