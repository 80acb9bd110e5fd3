// What every fuzz target shares: libFuzzer's entry point hands bytes to `fuzz(_:)`, which each
// target defines. Built by scripts/fuzz with swiftc -sanitize=fuzzer,address (libFuzzer comes
// with the Swift toolchain), not by SwiftPM: the codec modules are compiled with the coverage
// instrumentation too, which a package's unsafe flags would not give them.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    fuzz(bytes)
    return 0
}

/// The input as text, as a transport would hand it over (invalid UTF-8 replaced).
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Stops the run with a finding: an invariant of the codec does not hold for this input.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}
