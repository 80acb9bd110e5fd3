// meet-bench: the load generator of the benchmarks (`scripts/bench` runs it against each server).
import ArgumentParser
import BenchKit
import Foundation

@main
struct MeetBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meet-bench",
        abstract: "Socket.IO load generator: connect storms, idle hold, room fan-out; and the null server it calibrates against.",
        discussion: "scripts/bench runs the whole comparison (our server, python-socketio, the null server) and writes BENCHMARKS.md.",
        subcommands: [Run.self, Ceiling.self, NullServer.self]
    )
}

/// Options shared by `run` and `ceiling`.
struct TargetOptions: ParsableArguments {
    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(name: .customLong("server-pid"), help: "The server's process id, for its CPU time and memory.") var serverPid: Int32?
    @Option(help: "Clients to connect (in rooms of 10).") var clients = 10_000
    @Option(name: .customLong("step-seconds"), help: "Seconds of load per step.") var stepSeconds = 5.0
    @Option(name: .customLong("server-cpu"), help: "The CPU the server is pinned to (clean-run check).") var serverCPU: Int?
    @Option(name: .customLong("generator-cpu"), help: "The CPU this generator is pinned to (clean-run check).") var generatorCPU: Int?
    @Option(help: "Write the result as JSON to this file.") var out: String?

    var target: BenchTarget { BenchTarget(host: host, port: port) }

    func plan() -> BenchPlan {
        var plan = BenchPlan()
        plan.clients = clients
        plan.firstStorm = min(1_000, clients)
        plan.stepSeconds = stepSeconds
        plan.serverCPU = serverCPU
        plan.generatorCPU = generatorCPU
        return plan
    }

    func write(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        if let out { try data.write(to: URL(fileURLWithPath: out)) } else { print(String(decoding: data, as: UTF8.self)) }
    }
}

func log(_ line: String) {
    FileHandle.standardError.write(Data("meet-bench: \(line)\n".utf8))
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every socket scenario against one server (bench handlers: join, bcast).")

    @OptionGroup var options: TargetOptions
    @Option(help: "A name for the server in the results.") var label = "server"
    @Option(name: .customLong("jwt-secret"), help: "The server's HS256 secret (JWT_SECRET); each client signs its own token.") var secret: String?
    @Option(help: "The generator's ceiling (deliveries/s, from `meet-bench ceiling`): figures within 20% of it are marked generator-bound.") var ceiling: Double?
    @Option(name: .customLong("room-rates"), help: "Comma-separated deliveries/s for the rooms-of-10 steps.") var roomRates: String?
    @Option(name: .customLong("webinar-rates"), help: "Comma-separated broadcasts/s to the room of 1000.") var webinarRates: String?

    func run() async throws {
        guard let secret = secret ?? ProcessInfo.processInfo.environment["JWT_SECRET"] else {
            throw ValidationError("meet-bench needs the server's secret to sign tokens: pass --jwt-secret or set JWT_SECRET.")
        }
        guard secret.utf8.count >= 32 else {
            throw ValidationError("JWT_SECRET must be at least 32 bytes; got \(secret.utf8.count). Use the server's own secret.")
        }
        var plan = options.plan()
        plan.ceiling = ceiling
        if let roomRates { plan.roomRates = try Self.rates(roomRates, "--room-rates") }
        if let webinarRates { plan.webinarRates = try Self.rates(webinarRates, "--webinar-rates") }
        let signed = try await BenchTokens.sign(clients: plan.clients, secret: secret)
        let session = BenchSession(target: options.target, tokens: signed, serverPid: options.serverPid, log: { log("\(label): \($0)") })
        let result = try await session.runSuite(label: label, plan: plan)
        try await session.shutdown()
        try options.write(result)
    }

    static func rates(_ text: String, _ option: String) throws -> [Int] {
        let rates = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !rates.isEmpty, rates.allSatisfy({ $0 > 0 }) else { throw ValidationError("\(option) takes positive numbers separated by commas; got '\(text)'.") }
        return rates
    }
}

struct Ceiling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the generator's ceiling against `meet-bench null-server`.")

    @OptionGroup var options: TargetOptions
    @Option(help: "Deliveries per second to offer (more than the generator can take).") var offered = 400_000

    func run() async throws {
        let session = BenchSession(target: options.target, tokens: ["null"], serverPid: options.serverPid, log: { log("null server: \($0)") })
        let step = try await session.measureCeiling(plan: options.plan(), offered: offered)
        try await session.shutdown()
        try options.write(step)
    }
}

struct NullServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "null-server",
        abstract: "A WebSocket server that relays bcast to a room with no Socket.IO logic: the ceiling's reference."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one).") var port = 0

    func run() async throws {
        let server = try await NullBroadcastServer(host: host, port: port)
        FileHandle.standardOutput.write(Data("listening on \(host):\(server.port)\n".utf8))
        try await server.run()
    }
}
