import SocketIOProtocol

/// The events and sessions kept for connection state recovery, in one process: a value that
/// takes events and answers restores, with the time given by the caller (so it is tested with
/// no clock and no sockets). ``InMemoryAdapter`` keeps one per namespace.
public struct RecoveryLog: Sendable {
    /// One broadcast event, with its offset and its addressees.
    struct Entry: Sendable {
        /// The offset, as a number (offsets are made in increasing order).
        var offset: Int
        var packet: SocketPacket
        var options: BroadcastOptions
        var emittedAt: ContinuousClock.Instant
    }

    /// Oldest first; entries before `start` are gone (dropped in bulk, not one by one).
    private var entries: [Entry] = []
    private var start = 0
    private var sessions: [String: (session: PersistedSession, expires: ContinuousClock.Instant)] = [:]
    private var nextOffset = 0
    private var sessionsAfterPruning = 0

    public init() {}

    /// Gives the event an offset (appended to its arguments, where clients read it) and keeps
    /// it for `keep`. Returns the event as it is to be sent.
    public mutating func store(
        _ packet: SocketPacket,
        options: BroadcastOptions,
        now: ContinuousClock.Instant,
        keep: Duration
    ) -> SocketPacket {
        while start < entries.count, entries[start].emittedAt < now - keep { start += 1 }
        if start > 64, start * 2 > entries.count {
            entries.removeFirst(start)
            start = 0
        }
        nextOffset += 1
        let stored = packet.appendingOffset(String(nextOffset, radix: 36))
        entries.append(Entry(offset: nextOffset, packet: stored, options: options, emittedAt: now))
        return stored
    }

    /// Keeps a session until `now + keep`.
    public mutating func persist(_ session: PersistedSession, now: ContinuousClock.Instant, keep: Duration) {
        // Expired sessions go in bulk, when their number has doubled since the last time.
        if sessions.count >= sessionsAfterPruning * 2 + 64 {
            sessions = sessions.filter { $0.value.expires > now }
            sessionsAfterPruning = sessions.count
        }
        sessions[session.pid] = (session, now + keep)
    }

    /// The session `pid` with the events after `offset` that reached its rooms, or `nil` when the
    /// session is unknown or expired, or the offset is no longer (or never was) kept. A session
    /// is restored once.
    public mutating func restore(pid: String, offset: String, now: ContinuousClock.Instant) -> RestoredSession? {
        guard let (session, expires) = sessions.removeValue(forKey: pid), expires > now else { return nil }
        guard let number = Int(offset, radix: 36), let index = index(of: number) else { return nil }
        let missed = entries[(index + 1)...].filter { $0.options.reaches(rooms: session.rooms) }.map(\.packet)
        return RestoredSession(session: session, missedPackets: missed)
    }

    /// The number of events kept.
    public var count: Int { entries.count - start }

    /// Where the kept event with this offset is (offsets increase along the entries).
    private func index(of offset: Int) -> Int? {
        var low = start
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].offset < offset { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].offset == offset ? low : nil
    }
}

extension SocketPacket {
    /// The event with `offset` as its last argument, where clients read it.
    public func appendingOffset(_ offset: String) -> SocketPacket {
        guard case .array(var items) = data else { return self }
        items.append(.string(offset))
        var packet = self
        packet.data = .array(items)
        return packet
    }
}

extension BroadcastOptions {
    /// Whether a socket in `rooms` (its own id among them) is addressed (socket.io's
    /// `shouldIncludePacket`).
    public func reaches(rooms socketRooms: Set<String>) -> Bool {
        let included = rooms.isEmpty || !rooms.isDisjoint(with: socketRooms)
        return included && except.isDisjoint(with: socketRooms)
    }
}
