// swift-tools-version:6.1
// Microbenchmarks of the Socket.IO codec (ordo-one/benchmark): run from this folder with
//   swift package benchmark
// A package of its own, so the main package and its CI build never fetch the benchmark tools.
import Foundation
import PackageDescription

// The main package is the folder above; SwiftPM names a path dependency after its folder.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "meet-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Codec",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EngineIOProtocol", package: root),
                .product(name: "SocketIOProtocol", package: root),
                .product(name: "SocketIOServer", package: root),
            ],
            path: "Benchmarks/Codec",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
