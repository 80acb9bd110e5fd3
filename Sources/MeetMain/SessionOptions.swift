import ArgumentParser
import MeetTUI

/// The options of commands that attend a meeting (`join`, `create`): announcements instead of
/// the screen, and turning off the config's hooks or the meeting log for one run.
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Say what happens in plain sentences instead of showing the screen: hands, joins, host, chat, all (comma-separated), or none.",
        discussion: "One sentence a line, rate-limited (\"and 12 more joined\"), for screen readers and braille displays. Also `announce` in the config.",
        valueName: "categories"))
    var announce: String?
    @Option(name: .customLong("announce-file"), help: ArgumentHelp("Append the sentences to this file instead of stdout.", valueName: "file"))
    var announceFile: String?
    @Flag(name: .customLong("no-log"), help: "Do not write the meeting log ($XDG_STATE_HOME/meet/<id>.log; also `log = false`).")
    var noLog = false
    @Flag(name: .customLong("no-hooks"), help: "Do not run the config's [hooks].")
    var noHooks = false

    /// `settings` without what the flags turn off.
    func apply(to settings: SessionSettings) -> SessionSettings {
        var settings = settings
        if noLog { settings.logDirectory = nil }
        if noHooks { settings.hooks = [:] }
        return settings
    }

    /// What to announce (nil: the screen): `--announce` over the config's `announce`.
    func announce(_ config: MeetConfig) throws -> AnnounceSession.Settings? {
        let categories: Set<AnnounceCategory>
        if let announce {
            do { categories = try AnnounceCategory.parse(announce) } catch { throw ValidationError("--announce: \(error)") }
        } else {
            categories = config.announce ?? []
        }
        guard !categories.isEmpty else {
            if announceFile != nil { throw ValidationError("--announce-file needs --announce (e.g. --announce all) or `announce` in the config.") }
            return nil
        }
        return AnnounceSession.Settings(categories: categories, file: announceFile ?? config.announceFile)
    }

    /// Attends `meetingId`: announcing when asked, else on the screen.
    func attend(_ meetingId: String, settings: SessionSettings, announce: AnnounceSession.Settings?) async throws {
        if let announce {
            try await AnnounceSession.run(settings, meetingId: meetingId, announce: announce)
        } else {
            try await MeetSession.run(settings, meetingId: meetingId)
        }
    }
}
