// One-shot commands: `meet <command> [ARG…] <meeting>` makes one change to a meeting and exits.
import ArgumentParser
import Foundation
import MeetTUI
import MeetingsContract

/// A command that makes one change to a meeting with the configured server and token, named and
/// parsed like the `:` command of `meet join` (`RoomCommand`), then exits:
/// 0 done (nothing printed), 1 refused (the server's message on stderr), 2 usage, 3 unreachable.
protocol OneShotCommand: AsyncParsableCommand {
    /// The command's arguments, then the meeting id.
    var words: [String] { get }
    var connection: ConnectionOptions { get }
}

extension OneShotCommand {
    func run() async throws {
        await OneShot.run(Self.configuration.commandName ?? "", words: words, connection: connection)
    }
}

/// What the one-shot commands share.
enum OneShot {
    /// The exit statuses of a one-shot command.
    enum Status: Int32 {
        case done = 0, refused = 1, usage = 2, unreachable = 3
    }

    static let exitStatuses = """
        Exit status: 0 done (prints nothing), 1 the server refused (its message on stderr), \
        2 usage error, 3 no server could be reached.
        """

    /// A one-shot command's configuration: `arguments` is the usage between the name and the meeting.
    static func configuration(_ name: String, _ abstract: String, arguments: String = "", aliases: [String] = []) -> CommandConfiguration {
        CommandConfiguration(
            commandName: name,
            abstract: abstract,
            usage: "meet \(name) \(arguments.isEmpty ? "" : arguments + " ")<meeting> [--server URL] [--token-file FILE] [--config FILE]",
            discussion: "Uses the server and token of meet join (--server, --token-file, MEET_SERVER, MEET_TOKEN, config file).\n" + exitStatuses,
            aliases: aliases
        )
    }

    /// Parses `name words…`, resolves a participant's name with the meeting's snapshot when the
    /// command names one, sends the request and exits with the command's status.
    static func run(_ name: String, words: [String], connection: ConnectionOptions) async -> Never {
        guard let meetingId = words.last, !meetingId.isEmpty else {
            finish(.usage, "meet \(name) needs the meeting id, last: \(usage(name))")
        }
        let commandWords = [name] + words.dropLast()
        var namesParticipant = false
        var action = oneShotAction(RoomCommand.parse(commandWords) { word in
            namesParticipant = true
            return word
        })
        let settings: SessionSettings
        do { settings = try connection.settings(meetingId: meetingId) } catch { finish(.usage, "\(error)") }
        silenceLogs()
        do {
            if namesParticipant {
                let room = RoomState(try await settings.api.snapshot(meetingId))
                action = oneShotAction(RoomCommand.parse(commandWords, resolve: room.resolveParticipant))
            }
            try await settings.api.perform(action, in: meetingId)
        } catch let error as MeetingsAPIError {
            finish(error.status == 0 ? .unreachable : .refused, error.message)
        } catch {
            finish(.refused, "\(error)")
        }
        finish(.done, nil)
    }

    /// The request a parsed command makes, or a usage error.
    private static func oneShotAction(_ parsed: Result<RoomCommand, RoomCommandError>) -> RoomAction {
        switch parsed {
        case .success(.perform(let action)): return action
        case .success(.toggleRecording): finish(.usage, RoomCommandError.needsOnOrOff("record").message(.oneShot))
        case .success(.toggleScreenshare), .success(.help), .success(.quit):
            finish(.usage, "That command works inside meet join only.")
        case .failure(let error): finish(.usage, error.message(.oneShot))
        }
    }

    /// The usage line of a command, from its configuration.
    private static func usage(_ name: String) -> String {
        commands.first { $0.configuration.commandName == name }?.configuration.usage ?? "meet \(name) <meeting>"
    }

    /// Prints `meet: message` to stderr (when there is one; a message that starts with a command
    /// line, `meet promote …`, as it is) and exits with `status`.
    static func finish(_ status: Status, _ message: String?) -> Never {
        if let message {
            FileHandle.standardError.write(Data("\(message.hasPrefix("meet ") ? "" : "meet: ")\(message)\n".utf8))
        }
        exit(status.rawValue)
    }

    /// Every one-shot command, in the order of `meet --help`.
    static let commands: [any ParsableCommand.Type] = [
        Raise.self, Lower.self, LowerAll.self, Say.self, Share.self, Lock.self, Unlock.self,
        Promote.self, Demote.self, Remove.self, Readmit.self, Record.self, Music.self, Volume.self, End.self,
    ]
}

private let wordsHelp = ArgumentHelp("The command's arguments, then the meeting id (e.g. k3v9-x7qp-2mzt-8hdc).", valueName: "arguments")

struct Raise: OneShotCommand {
    static let configuration = OneShot.configuration("raise", "Raise your hand (you must be in the meeting).")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Lower: OneShotCommand {
    static let configuration = OneShot.configuration("lower", "Lower your hand, or (host) a participant's.", arguments: "[WHO]")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct LowerAll: OneShotCommand {
    static let configuration = OneShot.configuration("lowerall", "Lower every hand (host).", aliases: ["lower-all"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Say: OneShotCommand {
    static let configuration = OneShot.configuration("say", "Send a chat message (you must be in the meeting).", arguments: "TEXT", aliases: ["msg", "chat"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Share: OneShotCommand {
    static let configuration = OneShot.configuration("share", "Share a link (you must be in the meeting).", arguments: "URL [TITLE]", aliases: ["link"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Lock: OneShotCommand {
    static let configuration = OneShot.configuration("lock", "Lock the meeting: only hosts and participants can join (host).")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Unlock: OneShotCommand {
    static let configuration = OneShot.configuration("unlock", "Unlock the meeting (host).")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Promote: OneShotCommand {
    static let configuration = OneShot.configuration("promote", "Make a participant a host (host). WHO is a user id or a name.", arguments: "WHO")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Demote: OneShotCommand {
    static let configuration = OneShot.configuration("demote", "Take a host's role away (host; not the last host).", arguments: "WHO")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Remove: OneShotCommand {
    static let configuration = OneShot.configuration("remove", "Remove a participant; they cannot join again until readmitted (host).", arguments: "WHO", aliases: ["kick"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Readmit: OneShotCommand {
    static let configuration = OneShot.configuration("readmit", "Let a removed user join again (host). WHO is their user id.", arguments: "WHO")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Record: OneShotCommand {
    static let configuration = OneShot.configuration("record", "Start or stop the recording status (host).", arguments: "on|off", aliases: ["rec"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Music: OneShotCommand {
    static let configuration = OneShot.configuration("music", "Play a track, or stop the music (host).", arguments: "TRACK|stop")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct Volume: OneShotCommand {
    static let configuration = OneShot.configuration("volume", "Set the music's volume, 0 to 100 (host).", arguments: "N", aliases: ["vol"])
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}

struct End: OneShotCommand {
    static let configuration = OneShot.configuration("end", "End the meeting for everyone, without asking (host). It cannot be undone.")
    @Argument(help: wordsHelp) var words: [String] = []
    @OptionGroup var connection: ConnectionOptions
}
