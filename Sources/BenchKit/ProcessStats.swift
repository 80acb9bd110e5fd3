#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// CPU time and memory of a process, and the machine's per-CPU busy time, read from `/proc`.
public enum ProcessStats {
    /// One reading of a process.
    public struct Sample: Sendable {
        /// User plus system CPU time, seconds.
        public var cpuSeconds: Double
        /// Resident set size, KiB.
        public var rssKiB: Int
    }

    /// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`; `nil` if the process is gone.
    public static func sample(pid: Int32) -> Sample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return Sample(cpuSeconds: (user + system) / ticksPerSecond, rssKiB: rss)
    }

    /// This process's CPU time, seconds.
    public static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Busy (not idle, not iowait) seconds of each CPU since boot, from `/proc/stat`.
    public static func busySecondsPerCPU() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.map { line in
            let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            let idle = values.count > 4 ? values[3] + values[4] : 0
            return (values.reduce(0, +) - idle) / ticksPerSecond
        }
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
}
