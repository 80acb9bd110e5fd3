import MeetingsContract

extension Meeting {
    /// A host starts music, or changes the track or volume of the music that plays.
    public mutating func startMusic(track: String, volume: Int?, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        try MeetingLimits.checkText(track, field: "track", max: MeetingLimits.trackMax)
        let volume = volume ?? MeetingLimits.defaultVolume
        try MeetingLimits.checkVolume(volume)
        if let music, music.track == track, music.volume == volume { return [] }
        music = Music(track: track, volume: volume, startedBy: caller.userId, startedAt: now)
        return [record(.musicStarted(track: track, volume: volume, by: caller.userId), at: now)]
    }

    /// A host stops the music (a no-op when none plays).
    public mutating func stopMusic(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        guard music != nil else { return [] }
        music = nil
        return [record(.musicStopped(by: caller.userId), at: now)]
    }

    /// A host sets the volume of the music that plays (`409` when none plays).
    public mutating func setMusicVolume(_ volume: Int, by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        try MeetingLimits.checkVolume(volume)
        guard var playing = music else {
            throw MeetingError(.conflict, "No music is playing; start music first.")
        }
        if playing.volume == volume { return [] }
        playing.volume = volume
        music = playing
        return [record(.musicVolumeUpdated(volume: volume, by: caller.userId), at: now)]
    }

    /// A host starts recording (`409` when it is already on).
    public mutating func startRecording(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        if let recording {
            throw MeetingError(.conflict, "The meeting is already being recorded (started by \(recording.startedBy)).")
        }
        recording = Recording(startedBy: caller.userId, startedAt: now)
        return [record(.recordingStarted(by: caller.userId, startedAt: now), at: now)]
    }

    /// A host stops recording (a no-op when it is off).
    public mutating func stopRecording(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireHost(caller)
        guard recording != nil else { return [] }
        recording = nil
        return [record(.recordingStopped(by: caller.userId), at: now)]
    }

    /// A participant starts sharing their screen (`409` while someone else shares).
    public mutating func startScreenshare(_ caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireParticipant(caller)
        if let screenshare {
            if screenshare.userId == caller.userId { return [] }
            throw MeetingError(.conflict, "\(screenshare.userId) is already sharing their screen; ask them or a host to stop first.")
        }
        screenshare = Screenshare(userId: caller.userId, startedAt: now)
        return [record(.screenshareStarted(userId: caller.userId), at: now)]
    }

    /// The sharer or a host stops the screenshare (a no-op when no one shares).
    public mutating func stopScreenshare(by caller: Caller, at now: Timestamp) throws(MeetingError) -> [MeetingEvent] {
        try requireOpen()
        guard let current = screenshare else {
            guard isParticipant(caller.userId) || isHost(caller.userId) else { throw .notParticipant }
            return []
        }
        guard current.userId == caller.userId || isHost(caller.userId) else {
            throw MeetingError(.notHost, "Only \(current.userId), who shares, or a host can stop the screenshare.")
        }
        screenshare = nil
        return [record(.screenshareStopped(userId: current.userId, by: caller.userId), at: now)]
    }
}
