import HTTPTypes
import Prometheus
import SocketIOServer
import Synchronization

/// The meetings server's metrics, served as Prometheus text at `GET /metrics`.
///
/// Each ``MeetingsServerApp`` has a registry of its own (the global `MetricsSystem` is left to
/// the executable), so that several servers in one process, as in the tests, keep their own
/// figures.
///
/// | family | type | labels | counted |
/// | --- | --- | --- | --- |
/// | `meet_connections_open` | gauge | `transport` | Engine.IO connections open now (an upgrade moves one from `polling` to `websocket`) |
/// | `meet_connections_total` | counter | `transport` | connections opened, by the transport they opened on |
/// | `meet_sockets` | gauge | | Socket.IO sockets on this node (when scraped) |
/// | `meet_rooms` | gauge | | meetings with at least one socket of this node subscribed (when scraped) |
/// | `meet_events_emitted_total` | counter | `event` | meeting events emitted to this node's rooms |
/// | `meet_deliveries_total` | counter | | packets queued on sockets by broadcasts |
/// | `meet_slow_consumers_dropped_total` | counter | | connections closed for not reading |
/// | `meet_http_requests_total` | counter | `method`, `route`, `status` | REST requests (not Socket.IO's polling) |
/// | `meet_http_request_duration_seconds` | histogram | `method`, `route` | their latency |
/// | `meet_store_transaction_duration_seconds` | histogram | `store`, `operation` | write transactions (`create`, `update`) |
///
/// `route` is the route's template (`/api/meetings/{id}/hand/raise`), or `unmatched`: never
/// the raw path, so that the label's values are bounded. What the hot paths count (per
/// connection, per broadcast, per event) is an atomic counter or gauge made up front; only a
/// histogram, recorded once per request or transaction, takes swift-prometheus's lock.
public final class MeetingsMetrics: Sendable {
    /// The registry the families live in; `GET /metrics` emits it whole.
    public let registry: PrometheusCollectorRegistry
    /// The exposition format's content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let pollingOpen: Gauge
    private let websocketOpen: Gauge
    private let pollingOpened: Counter
    private let websocketOpened: Counter
    private let sockets: Gauge
    private let rooms: Gauge
    private let deliveries: Counter
    private let slowConsumersDropped: Counter
    /// One counter per event name of the contract, made up front (lock-free to find).
    private let events: [String: Counter]
    /// Samples the gauges that are read when scraped (sockets, rooms).
    private let sampler = Mutex<(@Sendable () -> (sockets: Int, rooms: Int))?>(nil)

    static let eventNames = [
        "meeting:participant-joined", "meeting:participant-left", "meeting:presence-updated", "meeting:hand-raised",
        "meeting:hand-lowered", "meeting:music-started", "meeting:music-stopped", "meeting:music-volume-updated",
        "meeting:recording-started", "meeting:recording-stopped", "meeting:screenshare-started", "meeting:screenshare-stopped",
        "meeting:resource-shared", "meeting:locked", "meeting:unlocked", "meeting:host-promoted", "meeting:host-demoted",
        "meeting:message", "meeting:ended",
    ]

    /// REST latency buckets: 1 ms to 10 s.
    static let requestBuckets = milliseconds([1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000])
    /// Store transaction buckets: 0.25 ms to 5 s.
    static let transactionBuckets = milliseconds([0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000])

    private static func milliseconds(_ values: [Double]) -> [Duration] { values.map { .microseconds(Int64($0 * 1000)) } }

    private static func family(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    // Computed: a descriptor is not Sendable, so it cannot be a static constant.
    private static var connectionsOpen: MetricNameDescriptor { family("meet_connections_open", "Engine.IO connections open now, by transport.") }
    private static var connectionsTotal: MetricNameDescriptor {
        family("meet_connections_total", "Engine.IO connections opened, by the transport they opened on.")
    }
    private static var eventsEmitted: MetricNameDescriptor { family("meet_events_emitted_total", "Meeting events emitted to this node's rooms, by event name.") }
    private static var httpRequests: MetricNameDescriptor { family("meet_http_requests_total", "REST requests, by method, route template and status.") }
    private static var httpDuration: MetricNameDescriptor {
        family("meet_http_request_duration_seconds", "REST request latency, by method and route template.")
    }
    private static var storeDuration: MetricNameDescriptor {
        family("meet_store_transaction_duration_seconds", "Store write transactions' latency, by store and operation.")
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        pollingOpen = registry.makeGauge(descriptor: Self.connectionsOpen, labels: [("transport", "polling")])
        websocketOpen = registry.makeGauge(descriptor: Self.connectionsOpen, labels: [("transport", "websocket")])
        pollingOpened = registry.makeCounter(descriptor: Self.connectionsTotal, labels: [("transport", "polling")])
        websocketOpened = registry.makeCounter(descriptor: Self.connectionsTotal, labels: [("transport", "websocket")])
        sockets = registry.makeGauge(descriptor: Self.family("meet_sockets", "Socket.IO sockets connected to this node."))
        rooms = registry.makeGauge(descriptor: Self.family("meet_rooms", "Meetings with at least one socket of this node subscribed."))
        deliveries = registry.makeCounter(descriptor: Self.family("meet_deliveries_total", "Packets queued on sockets by broadcasts."))
        slowConsumersDropped = registry.makeCounter(
            descriptor: Self.family("meet_slow_consumers_dropped_total", "Connections closed because they did not read what was queued for them.")
        )
        var events: [String: Counter] = [:]
        for name in Self.eventNames {
            events[name] = registry.makeCounter(descriptor: Self.eventsEmitted, labels: [("event", name)])
        }
        self.events = events
    }

    // MARK: Counting

    /// A meeting event was emitted to this node's room.
    func eventEmitted(_ name: String) {
        (events[name] ?? registry.makeCounter(descriptor: Self.eventsEmitted, labels: [("event", name)])).increment()
    }

    /// A REST request was answered. `route` is the router's template (nil when none matched).
    func requestAnswered(method: HTTPRequest.Method, route: String?, status: Int, duration: Duration) {
        let route = route.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        registry.makeCounter(descriptor: Self.httpRequests, labels: [("method", method.rawValue), ("route", route), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.httpDuration, labels: [("method", method.rawValue), ("route", route)], buckets: Self.requestBuckets)
            .record(duration)
    }

    /// The histogram of one store's transactions of one kind (made once, kept by the store).
    func storeTransactions(store: String, operation: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.storeDuration, labels: [("store", store), ("operation", operation)], buckets: Self.transactionBuckets
        )
    }

    // MARK: Scraping

    /// Sets what the gauges read when scraped are sampled from.
    func sample(with sampler: @escaping @Sendable () -> (sockets: Int, rooms: Int)) {
        self.sampler.withLock { $0 = sampler }
    }

    /// The exposition: the sampled gauges are read now, then every family is written.
    public func exposition() -> [UInt8] {
        if let sample = sampler.withLock({ $0 }) {
            let (sockets, rooms) = sample()
            self.sockets.set(to: Double(sockets))
            self.rooms.set(to: Double(rooms))
        }
        return registry.emitToBuffer()
    }
}

/// The Socket.IO server's connections, upgrades, slow consumers and deliveries: atomics only.
extension MeetingsMetrics: SocketIOObserver {
    public func connectionOpened(transport: EngineTransport) {
        switch transport {
        case .polling:
            pollingOpened.increment()
            pollingOpen.increment()
        case .websocket:
            websocketOpened.increment()
            websocketOpen.increment()
        }
    }

    public func connectionUpgraded() {
        pollingOpen.decrement()
        websocketOpen.increment()
    }

    public func connectionClosed(transport: EngineTransport, reason: EngineCloseReason) {
        switch transport {
        case .polling: pollingOpen.decrement()
        case .websocket: websocketOpen.decrement()
        }
    }

    public func slowConsumerDropped() { slowConsumersDropped.increment() }

    public func broadcastDelivered(recipients: Int) { deliveries.increment(by: Int64(recipients)) }
}
