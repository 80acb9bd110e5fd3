// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "meet",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EngineIOProtocol", targets: ["EngineIOProtocol"]),
        .library(name: "SocketIOProtocol", targets: ["SocketIOProtocol"]),
        .library(name: "SocketIOServer", targets: ["SocketIOServer"]),
        .library(name: "SocketIOClient", targets: ["SocketIOClient"]),
        .library(name: "SocketIOPostgresAdapter", targets: ["SocketIOPostgresAdapter"]),
        .executable(name: "socketio-conformance-server", targets: ["SocketIOConformanceServer"]),
        .executable(name: "socketio-interop-server", targets: ["SocketIOInteropServer"]),
        .executable(name: "socketio-broadcast-probe", targets: ["SocketIOBroadcastProbe"]),
        .executable(name: "sio-client", targets: ["SIOClient"]),
        .library(name: "MeetingsContract", targets: ["MeetingsContract"]),
        .library(name: "MeetingsServer", targets: ["MeetingsServer"]),
        .executable(name: "meetings-server", targets: ["MeetingsServerMain"]),
        .executable(name: "meetings-hand-load", targets: ["MeetingsHandLoad"]),
        .library(name: "MeetTUI", targets: ["MeetTUI"]),
        .executable(name: "meet", targets: ["MeetMain"]),
        .executable(name: "meet-bench", targets: ["MeetBenchMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure codecs: no sockets, no event loops.
        .target(name: "EngineIOProtocol", swiftSettings: swiftSettings),
        .target(name: "SocketIOProtocol", dependencies: ["EngineIOProtocol"], swiftSettings: swiftSettings),

        // Socket.IO server on Hummingbird.
        .target(
            name: "SocketIOServer",
            dependencies: [
                "EngineIOProtocol",
                "SocketIOProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Socket.IO client on SwiftNIO: WebSocket (WSClient), polling (AsyncHTTPClient), upgrade, reconnection.
        .target(
            name: "SocketIOClient",
            dependencies: [
                "EngineIOProtocol",
                "SocketIOProtocol",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The protocol test suites' server configuration ("suite mode"), for the example and the tests.
        .target(
            name: "SocketIOConformance",
            dependencies: [
                "EngineIOProtocol",
                "SocketIOServer",
                "SocketIOProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Runnable examples.
        .executableTarget(
            name: "SocketIOConformanceServer",
            dependencies: ["SocketIOConformance", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Examples/ConformanceServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SocketIOInteropServer",
            dependencies: [
                "SocketIOServer",
                "SocketIOConformance",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/InteropServer",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "SIOClient",
            dependencies: ["SocketIOClient", "SocketIOProtocol"],
            path: "Examples/SIOClient",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SocketIOBroadcastProbe",
            dependencies: [
                "SocketIOServer",
                "SocketIOProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Examples/BroadcastProbe",
            swiftSettings: swiftSettings
        ),

        // Broadcasts across server nodes through PostgreSQL LISTEN/NOTIFY.
        .target(
            name: "SocketIOPostgresAdapter",
            dependencies: [
                "SocketIOServer",
                "SocketIOProtocol",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The meetings API as types, shared by server and client: the snapshot and its one fold,
        // every event, the routes, error codes, limits, timestamps, token claims. No I/O.
        .target(name: "MeetingsContract", swiftSettings: swiftSettings),

        // The meetings service: domain core, storage, REST and Socket.IO handlers (a library, so
        // `meet demo` and the tests run it in-process).
        .target(
            name: "MeetingsServer",
            dependencies: [
                "MeetingsContract",
                "SocketIOServer",
                "SocketIOPostgresAdapter",
                "SocketIOProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // `meetings-server serve | token`: a thin command line over the library.
        .executableTarget(
            name: "MeetingsServerMain",
            dependencies: [
                "MeetingsContract",
                "MeetingsServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // The terminal client: ncurses through a system-library target, the TUI as a library
        // (reducer, layout, runtime), and the `meet` command over it.
        // No pkgConfig: ncursesw.pc's cflags (-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600) are flags
        // SwiftPM prohibits and warns about on every build; the headers are in the default
        // include path, the module map links ncursesw, and shim.h defines what the cflags would.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "MeetTUI",
            dependencies: [
                "CNcurses",
                "MeetingsContract",
                "SocketIOClient",
                "SocketIOProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // `meet demo`: the meetings server in-process, a cast of simulated participants, and the
        // screen; the one part of `meet` that links the server.
        .target(
            name: "MeetDemo",
            dependencies: [
                "MeetTUI",
                "MeetingsContract",
                "MeetingsServer",
                "SocketIOClient",
                "SocketIOProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MeetMain",
            dependencies: [
                "MeetTUI",
                "MeetDemo",
                "MeetingsContract",
                "SocketIOClient",
                "SocketIOProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "MeetingsHandLoad",
            dependencies: [
                "MeetingsContract",
                "MeetingsServer",
                "SocketIOClient",
                "SocketIOProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Examples/HandLoad",
            swiftSettings: swiftSettings
        ),

        // The benchmarks' load generator (raw WebSocket on SwiftNIO, one event loop) and the
        // null broadcast server it calibrates against; `meet-bench` is its command line.
        .target(
            name: "BenchKit",
            dependencies: [
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MeetBenchMain",
            dependencies: [
                "BenchKit",
                "MeetingsContract",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test support: raw Engine.IO peers (WebSocket and polling) for live tests.
        .target(
            name: "SocketIOTestSupport",
            dependencies: [
                "SocketIOServer",
                "SocketIOClient",
                "SocketIOConformance",
                "BenchKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/SocketIOTestSupport",
            swiftSettings: swiftSettings
        ),

        // Seeded randomness for fuzz and mutation tests.
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport", swiftSettings: swiftSettings),

        .testTarget(name: "EngineIOProtocolTests", dependencies: ["EngineIOProtocol", "FuzzSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SocketIOProtocolTests", dependencies: ["SocketIOProtocol", "FuzzSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SocketIOClientTests",
            dependencies: ["SocketIOClient", "SocketIOServer", "SocketIOConformance", "SocketIOTestSupport", "SocketIOProtocol"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MeetingsContractTests",
            dependencies: ["MeetingsContract", "MeetingsServer", "SocketIOProtocol", "FuzzSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MeetingsServerTests",
            dependencies: [
                "MeetingsContract",
                "MeetingsServer",
                "SocketIOClient",
                "SocketIOConformance",
                "SocketIOPostgresAdapter",
                "SocketIOProtocol",
                "SocketIOTestSupport",
                "FuzzSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BenchKitTests",
            dependencies: [
                "BenchKit",
                "MeetingsContract",
                "MeetingsServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MeetTUITests",
            dependencies: ["MeetTUI", "MeetingsContract", "SocketIOProtocol"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketIOServerTests",
            dependencies: [
                "SocketIOServer", "SocketIOTestSupport", "SocketIOProtocol", "EngineIOProtocol", "FuzzSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
