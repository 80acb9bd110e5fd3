/// Meetings recently read or written, with the `version` they had, so a change does not read
/// every table again; bounded, dropping the least recently used.
struct MeetingCache {
    struct Entry: Sendable {
        var meeting: Meeting
        var version: Int64
        var used: UInt64
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func entry(_ id: String) -> Entry? {
        clock += 1
        entries[id]?.used = clock
        return entries[id]
    }

    mutating func store(_ meeting: Meeting, version: Int64) {
        clock += 1
        entries[meeting.id] = Entry(meeting: meeting, version: version, used: clock)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }

    mutating func removeAll() { entries = [:] }
}
