/// Acks this side is waiting for: ids counted from 0, as the reference implementation does.
///
/// A struct: the owner keeps it under its lock and performs what it returns (resuming the waiter).
struct AckTable<Waiter> {
    private var nextId = 0
    private var waiting: [Int: Waiter] = [:]

    /// Reserves the next id for a waiter.
    mutating func add(_ waiter: Waiter) -> Int {
        let id = nextId
        nextId += 1
        waiting[id] = waiter
        return id
    }

    /// Takes the waiter for an arriving ack; `nil` for an unknown or already answered id.
    mutating func resolve(_ id: Int) -> Waiter? {
        waiting.removeValue(forKey: id)
    }

    /// Takes every waiter (the connection dropped: each fails).
    mutating func removeAll() -> [Waiter] {
        let all = Array(waiting.values)
        waiting.removeAll()
        return all
    }

    /// Changes a waiter in place (e.g. to attach its timer).
    mutating func update(_ id: Int, _ change: (inout Waiter) -> Void) {
        if var waiter = waiting[id] {
            change(&waiter)
            waiting[id] = waiter
        }
    }

    var pendingCount: Int { waiting.count }
}
