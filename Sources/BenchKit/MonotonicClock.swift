#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLOCK_MONOTONIC in microseconds: the clock shared by the generator, the meetings server's
/// bench handlers and the python baseline (`time.monotonic_ns`), all on one machine.
public enum MonotonicClock {
    public static func microseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000 + now.tv_nsec / 1000
    }
}
