import MeetingsContract
@testable import MeetingsServer
import Testing

/// Music, recording and screenshare: shared status, not media (meetings-api §3, §4).
@Suite struct MeetingMediaTests {
    // MARK: music

    @Test func musicStartsAtVolume50ByDefault() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let events = try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.musicStarted(track: "Lo-fi", volume: 50, by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music == Music(track: "Lo-fi", volume: 50, startedBy: "alice", startedAt: .t(1)))
    }

    @Test func musicStartsAtTheGivenVolume() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        let events = try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.musicStarted(track: "Lo-fi", volume: 40, by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music?.volume == 40)
    }

    @Test func volumeBoundsAreAccepted() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Quiet", volume: 0, by: .alice, at: .t(1)) }
        #expect(meeting.music?.volume == 0)
        try act(&meeting) { try $0.startMusic(track: "Loud", volume: 100, by: .alice, at: .t(2)) }
        #expect(meeting.music?.volume == 100)
    }

    @Test func changingTheTrackEmitsMusicStartedAgain() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(2)) }
        let events = try act(&meeting) { try $0.startMusic(track: "Jazz", volume: 60, by: .bob, at: .t(3)) }
        let expected: [MeetingEvent.Kind] = [.musicStarted(track: "Jazz", volume: 60, by: "bob")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music == Music(track: "Jazz", volume: 60, startedBy: "bob", startedAt: .t(3)))
    }

    @Test func startingTheSameTrackAtANewVolumeEmitsMusicStarted() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 70, by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.musicStarted(track: "Lo-fi", volume: 70, by: "alice")]
        #expect(events.map(\.kind) == expected)
    }

    @Test func theSameTrackAtTheSameVolumeIsANoOp() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(2)) }
        try act(&meeting) { try $0.stopMusic(by: .alice, at: .t(3)) }
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(4)) }
        try expectNoOp(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 50, by: .alice, at: .t(5)) }
    }

    /// Contract §4: `POST …/music/start` `{track, volume?=50}`: a start without `volume` plays at 50,
    /// also when it changes the track.
    @Test func changingTheTrackWithoutVolumePlaysAt50() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: 40, by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.startMusic(track: "Jazz", volume: nil, by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.musicStarted(track: "Jazz", volume: 50, by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music?.volume == 50)
    }

    @Test func onlyAHostStartsMusic() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notHost, &meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .zed, at: .t(1)) }
    }

    @Test func musicStartRefusesABadTrackOrVolume() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        expectRefusal(.invalidRequest, &meeting) { try $0.startMusic(track: "", volume: nil, by: .alice, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.startMusic(track: "  \n", volume: nil, by: .alice, at: .t(1)) }
        let longTrack = String(repeating: "x", count: 201)
        expectRefusal(.invalidRequest, &meeting) { try $0.startMusic(track: longTrack, volume: nil, by: .alice, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.startMusic(track: "Lo-fi", volume: 101, by: .alice, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.startMusic(track: "Lo-fi", volume: -1, by: .alice, at: .t(1)) }
        let longestTrack = String(repeating: "x", count: 200)
        try act(&meeting) { try $0.startMusic(track: longestTrack, volume: nil, by: .alice, at: .t(2)) }
    }

    @Test func stopMusicEmitsMusicStoppedThenIsANoOp() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.stopMusic(by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.musicStopped(by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music == nil)
        try expectNoOp(&meeting) { try $0.stopMusic(by: .alice, at: .t(3)) }
    }

    @Test func onlyAHostStopsMusic() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.stopMusic(by: .bob, at: .t(2)) }
    }

    @Test func setVolumeEmitsMusicVolumeUpdated() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        let events = try act(&meeting) { try $0.setMusicVolume(30, by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.musicVolumeUpdated(volume: 30, by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.music == Music(track: "Lo-fi", volume: 30, startedBy: "alice", startedAt: .t(1)))
        try expectNoOp(&meeting) { try $0.setMusicVolume(30, by: .alice, at: .t(3)) }
        try act(&meeting) { try $0.setMusicVolume(0, by: .alice, at: .t(4)) }
        try act(&meeting) { try $0.setMusicVolume(100, by: .alice, at: .t(5)) }
    }

    @Test func setVolumeWithNoMusicIsAConflict() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        expectRefusal(.conflict, &meeting) { try $0.setMusicVolume(30, by: .alice, at: .t(1)) }
    }

    @Test func setVolumeOutOfRangeIsInvalid() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.setMusicVolume(101, by: .alice, at: .t(2)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.setMusicVolume(-1, by: .alice, at: .t(2)) }
        expectRefusal(.invalidRequest, &meeting) { try $0.setMusicVolume(Int.max, by: .alice, at: .t(2)) }
    }

    @Test func onlyAHostSetsTheVolume() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.startMusic(track: "Lo-fi", volume: nil, by: .alice, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.setMusicVolume(30, by: .bob, at: .t(2)) }
    }

    // MARK: recording

    @Test func recordingStartsAndStops() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        let started = try act(&meeting) { try $0.startRecording(by: .alice, at: .t(1)) }
        let expectedStart: [MeetingEvent.Kind] = [.recordingStarted(by: "alice", startedAt: .t(1))]
        #expect(started.map(\.kind) == expectedStart)
        #expect(meeting.recording == Recording(startedBy: "alice", startedAt: .t(1)))

        let stopped = try act(&meeting) { try $0.stopRecording(by: .alice, at: .t(2)) }
        let expectedStop: [MeetingEvent.Kind] = [.recordingStopped(by: "alice")]
        #expect(stopped.map(\.kind) == expectedStop)
        #expect(meeting.recording == nil)
    }

    @Test func startingARecordingTwiceIsAConflict() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.promote("bob", by: .alice, at: .t(1)) }
        try act(&meeting) { try $0.startRecording(by: .alice, at: .t(2)) }
        expectRefusal(.conflict, &meeting) { try $0.startRecording(by: .alice, at: .t(3)) }
        expectRefusal(.conflict, &meeting) { try $0.startRecording(by: .bob, at: .t(3)) }
    }

    @Test func stoppingARecordingThatIsOffIsANoOp() throws {
        var meeting = try Meeting.fixture(joined: [.alice])
        try expectNoOp(&meeting) { try $0.stopRecording(by: .alice, at: .t(1)) }
    }

    @Test func onlyAHostRecords() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        expectRefusal(.notHost, &meeting) { try $0.startRecording(by: .bob, at: .t(1)) }
        try act(&meeting) { try $0.startRecording(by: .alice, at: .t(2)) }
        expectRefusal(.notHost, &meeting) { try $0.stopRecording(by: .bob, at: .t(3)) }
    }

    // MARK: screenshare

    @Test func aParticipantStartsSharing() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        let events = try act(&meeting) { try $0.startScreenshare(.bob, at: .t(1)) }
        let expected: [MeetingEvent.Kind] = [.screenshareStarted(userId: "bob")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.screenshare == Screenshare(userId: "bob", startedAt: .t(1)))
        try expectNoOp(&meeting) { try $0.startScreenshare(.bob, at: .t(2)) }
    }

    @Test func onlyParticipantsShare() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        expectRefusal(.notParticipant, &meeting) { try $0.startScreenshare(.zed, at: .t(1)) }
        // alice is a host but has not joined.
        expectRefusal(.notParticipant, &meeting) { try $0.startScreenshare(.alice, at: .t(1)) }
    }

    @Test func sharingWhileSomeoneElseSharesIsAConflict() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(1)) }
        expectRefusal(.conflict, &meeting) { try $0.startScreenshare(.carol, at: .t(2)) }
        expectRefusal(.conflict, &meeting) { try $0.startScreenshare(.alice, at: .t(2)) }
    }

    @Test func theSharerStopsTheScreenshare() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob])
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(1)) }
        let events = try act(&meeting) { try $0.stopScreenshare(by: .bob, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.screenshareStopped(userId: "bob", by: "bob")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.screenshare == nil)
        // Someone else may share now.
        try act(&meeting) { try $0.startScreenshare(.alice, at: .t(3)) }
    }

    @Test func aHostStopsSomeoneElsesScreenshare() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(1)) }
        // alice is a host but has not joined.
        let events = try act(&meeting) { try $0.stopScreenshare(by: .alice, at: .t(2)) }
        let expected: [MeetingEvent.Kind] = [.screenshareStopped(userId: "bob", by: "alice")]
        #expect(events.map(\.kind) == expected)
        #expect(meeting.screenshare == nil)
    }

    @Test func othersCannotStopTheScreenshare() throws {
        var meeting = try Meeting.fixture(joined: [.alice, .bob, .carol])
        try act(&meeting) { try $0.startScreenshare(.bob, at: .t(1)) }
        expectRefusal(.notHost, &meeting) { try $0.stopScreenshare(by: .carol, at: .t(2)) }
        expectRefusal(.notHost, &meeting) { try $0.stopScreenshare(by: .zed, at: .t(2)) }
    }

    @Test func stoppingWhenNoOneSharesIsANoOpForMembers() throws {
        var meeting = try Meeting.fixture(joined: [.bob])
        try expectNoOp(&meeting) { try $0.stopScreenshare(by: .bob, at: .t(1)) }
        try expectNoOp(&meeting) { try $0.stopScreenshare(by: .alice, at: .t(1)) }
        expectRefusal(.notParticipant, &meeting) { try $0.stopScreenshare(by: .zed, at: .t(1)) }
    }
}
