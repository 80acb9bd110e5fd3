// meetings-server: the meetings service's command line (serve, token).
import ArgumentParser
import MeetingsServer

@main
struct MeetingsServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings-server",
        abstract: "The meetings service: REST API and Socket.IO live events on one port.",
        subcommands: [Serve.self, Token.self],
        defaultSubcommand: Serve.self
    )
}
