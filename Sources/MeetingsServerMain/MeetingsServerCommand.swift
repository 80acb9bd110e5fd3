// meetings-server: the meetings service's command line (serve, token).
import ArgumentParser
import Foundation
import MeetingsServer
import NIOCore
import NIOPosix

@main
struct MeetingsServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings-server",
        abstract: "The meetings service: REST API and Socket.IO live events on one port.",
        subcommands: [Serve.self, Token.self],
        defaultSubcommand: Serve.self
    )

    /// Sets up the event loops before anything else runs: one loop per CPU the server may use
    /// (NIO would count the machine's), and Swift Concurrency's jobs run on those same loops, so
    /// a socket's task and its channel share a thread instead of hopping between two thread
    /// pools on every message.
    static func main() async {
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil {
            NIOSingletons.groupLoopCountSuggestion = allowedCPUs()
        }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}

/// How many CPUs this process may run on (`taskset`, cpusets): `Cpus_allowed_list` of
/// /proc/self/status, such as `0`, `0-1` or `0,2-5`; NIO's count where there is none.
private func allowedCPUs() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
    else { return System.coreCount }
    let count = line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",").reduce(0) { total, range in
        let bounds = range.split(separator: "-").compactMap { Int($0) }
        return total + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
    }
    return count > 0 ? min(count, System.coreCount) : System.coreCount
}

