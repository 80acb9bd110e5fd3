import MeetingsServer
import SocketIOProtocol

extension RoomState {
    /// Applies one live event (its `seq` already checked to be the next) and describes it for
    /// the activity log. Unknown events change nothing but the `seq`.
    public mutating func apply(event eventName: String, payload: JSONValue) throws -> ActivityEntry? {
        let reader = FieldReader(payload, eventName)
        let at = (try? reader.time("at")) ?? Timestamp(milliseconds: 0)
        seq = try reader.int("seq")
        func who(_ key: String) -> String { name(of: reader.optionalString(key) ?? "?") }
        func line(_ text: String, _ kind: ActivityEntry.Kind = .event) -> ActivityEntry { ActivityEntry(at: at, text: text, kind: kind) }

        switch eventName {
        case "meeting:participant-joined":
            let participant = try RoomState.participant(from: try reader.value("participant"))
            participants.removeAll { $0.userId == participant.userId }
            participants.append(participant)
            names[participant.userId] = participant.name
            return line("\(participant.name) joined")
        case "meeting:participant-left":
            let userId = try reader.string("userId")
            let reason = reader.optionalString("reason") ?? "left"
            let shown = name(of: userId)
            participants.removeAll { $0.userId == userId }
            hands.removeAll { $0.userId == userId }
            if screenshare?.userId == userId { screenshare = nil }
            switch reason {
            case "removed": return line("\(shown) was removed by \(who("by"))", .alert)
            case "timeout": return line("\(shown) left (connection lost)")
            case "ended": return nil
            default: return line("\(shown) left")
            }
        case "meeting:presence-updated":
            let userId = try reader.string("userId")
            let online = try reader.bool("online")
            guard let index = participants.firstIndex(where: { $0.userId == userId }) else { return nil }
            participants[index].online = online
            // Connecting right after joining is not news.
            if online && at.milliseconds - participants[index].joinedAt.milliseconds < 10_000 { return nil }
            return line(online ? "\(name(of: userId)) is back online" : "\(name(of: userId)) went offline")
        case "meeting:hand-raised":
            let userId = try reader.string("userId")
            if handPosition(userId) == nil { hands.append(Hand(userId: userId, raisedAt: try reader.time("raisedAt"))) }
            return line("\(name(of: userId)) raised a hand (#\(handPosition(userId) ?? hands.count))")
        case "meeting:hand-lowered":
            let userId = try reader.string("userId")
            hands.removeAll { $0.userId == userId }
            let by = reader.optionalString("by")
            return line(by == nil || by == userId ? "\(name(of: userId)) lowered their hand" : "\(who("by")) lowered \(name(of: userId))'s hand")
        case "meeting:music-started":
            let track = try reader.string("track")
            music = Music(track: track, volume: try reader.int("volume"), startedBy: try reader.string("by"), startedAt: at)
            return line("\(who("by")) started music: \(track)")
        case "meeting:music-stopped":
            music = nil
            return line("\(who("by")) stopped the music")
        case "meeting:music-volume-updated":
            let volume = try reader.int("volume")
            music?.volume = volume
            return line("\(who("by")) set the volume to \(volume)")
        case "meeting:recording-started":
            recording = Recording(startedBy: try reader.string("by"), startedAt: (try? reader.time("startedAt")) ?? at)
            return line("\(who("by")) started recording", .alert)
        case "meeting:recording-stopped":
            recording = nil
            return line("\(who("by")) stopped recording")
        case "meeting:screenshare-started":
            let userId = try reader.string("userId")
            screenshare = Screenshare(userId: userId, startedAt: at)
            return line("\(name(of: userId)) is sharing their screen")
        case "meeting:screenshare-stopped":
            let userId = try reader.string("userId")
            screenshare = nil
            let by = reader.optionalString("by")
            return line(by == nil || by == userId ? "\(name(of: userId)) stopped sharing" : "\(who("by")) stopped \(name(of: userId))'s screenshare")
        case "meeting:resource-shared":
            let resource = try RoomState.resource(from: try reader.value("resource"))
            resources.append(resource)
            return line("\(name(of: resource.sharedBy)) shared \(resource.title): \(resource.url)")
        case "meeting:locked":
            locked = true
            return line("\(who("by")) locked the meeting")
        case "meeting:unlocked":
            locked = false
            return line("\(who("by")) unlocked the meeting")
        case "meeting:host-promoted", "meeting:host-demoted":
            let userId = try reader.string("userId")
            let promoted = eventName == "meeting:host-promoted"
            if let index = participants.firstIndex(where: { $0.userId == userId }) { participants[index].isHost = promoted }
            return line(promoted ? "\(who("by")) made \(name(of: userId)) a host" : "\(who("by")) removed \(name(of: userId))'s host rights")
        case "meeting:message":
            let message = try RoomState.message(from: try reader.value("message"))
            messages.append(message)
            if names[message.userId] == nil { names[message.userId] = message.name }
            if messages.count > 50 { messages.removeFirst(messages.count - 50) }
            return line("<\(message.name)> \(message.text)", .chat)
        case "meeting:ended":
            ended = true
            participants = []
            return line("\(who("by")) ended the meeting", .alert)
        default:
            return nil
        }
    }
}
