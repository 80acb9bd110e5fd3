import Histogram

/// p50, p99 and max of a latency histogram (recorded in microseconds), in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var p50: Double
    public var p99: Double
    public var max: Double

    public init(_ histogram: Histogram<UInt64>) {
        count = Int(histogram.totalCount)
        func ms(_ value: UInt64) -> Double { (Double(value) / 10).rounded() / 100 }
        p50 = count == 0 ? 0 : ms(histogram.valueAtPercentile(50))
        p99 = count == 0 ? 0 : ms(histogram.valueAtPercentile(99))
        max = count == 0 ? 0 : ms(histogram.max)
    }
}

/// What a connect storm measured (raw, on the generator's loop).
struct ConnectReport: Sendable {
    var clients: Int
    var failures: Int
    var seconds: Double
    var latency: Histogram<UInt64>
}

/// A connect storm: TCP + WebSocket upgrade + CONNECT with a JWT + join with ack.
public struct ConnectResult: Codable, Sendable {
    /// Clients connected in this storm, and how many were already connected before it.
    public var clients: Int
    public var alreadyConnected: Int
    public var inFlight: Int
    public var failures: Int
    public var perSecond: Double
    public var latency: LatencySummary
    public var lastFailure: String?
}

/// Memory of the server with idle WebSocket clients (RSS from /proc/<pid>/status).
public struct MemoryResult: Codable, Sendable {
    public var rssBeforeKiB: Int
    public var rssAt1kKiB: Int
    public var rssAtAllKiB: Int
    public var connections: Int
    /// (RSS at all − RSS at 1k) / (connections − 1000), bytes.
    public var marginalBytesPerConnection: Int
    /// (RSS at all − RSS before) / connections, bytes.
    public var bytesPerConnection: Int
}

/// The server holding idle connections: what its heartbeats cost.
public struct IdleResult: Codable, Sendable {
    public var connections: Int
    public var seconds: Double
    public var serverCPUPercent: Double
}

/// One load step of a fan-out scenario.
public struct StepResult: Codable, Sendable {
    /// Deliveries per second asked for (broadcasts per second × members).
    public var offeredPerSecond: Int
    public var broadcastsPerSecond: Double
    public var members: Int
    public var seconds: Double
    public var broadcastsSent: Int
    public var expected: Int
    public var delivered: Int
    public var deliveredRatio: Double
    public var deliveredPerSecond: Double
    /// Sender's stamp to receipt, per delivery.
    public var endToEnd: LatencySummary
    /// Server's emit stamp to receipt, per delivery (servers that stamp `te`).
    public var serverToClient: LatencySummary
    /// Sender's stamp to the last member having it, per broadcast.
    public var completion: LatencySummary
    public var serverCPUPercent: Double?
    public var serverCPUMsPer1000: Double?
    public var generatorCPUPercent: Double
    /// Within 20 % of the generator's ceiling: the figure says more about the generator.
    public var generatorBound: Bool
    /// The server's and generator's CPUs were busy only with them (nil when not pinned).
    public var clean: Bool?
}

/// Everything measured against one server.
public struct ServerResult: Codable, Sendable {
    public var label: String
    public var connect: [ConnectResult] = []
    public var memory: MemoryResult?
    public var idle: IdleResult?
    public var rooms: [StepResult] = []
    public var webinar: [StepResult] = []
    public var notes: [String] = []

    public init(label: String) { self.label = label }
}
