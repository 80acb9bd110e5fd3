/// A value of a SQL row or statement, the same for every database the store supports.
/// Booleans are integers 0/1 and times are milliseconds, so SQLite and PostgreSQL agree.
public enum SQLValue: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case null

    init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    init(_ number: Int64?) { self = number.map(SQLValue.integer) ?? .null }
    init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
    init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }
}

/// A statement with `?` placeholders and its arguments.
public struct SQLStatement: Sendable, Hashable {
    public var sql: String
    public var arguments: [SQLValue]

    /// The SQL with PostgreSQL's `$1`, `$2`, … for the `?` placeholders.
    public var numberedSQL: String {
        var result = ""
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A row read back: column name to value.
public typealias SQLRow = [String: SQLValue]

/// A row that does not have the shape the store wrote.
struct StoredRowError: Error, CustomStringConvertible {
    var description: String
}

extension Dictionary where Key == String, Value == SQLValue {
    func text(_ column: String) throws -> String {
        guard case .text(let value)? = self[column] else { throw StoredRowError(description: "column \(column) is not text") }
        return value
    }

    func optionalText(_ column: String) -> String? {
        if case .text(let value)? = self[column] { return value }
        return nil
    }

    func integer(_ column: String) throws -> Int64 {
        guard case .integer(let value)? = self[column] else { throw StoredRowError(description: "column \(column) is not an integer") }
        return value
    }

    func optionalInteger(_ column: String) -> Int64? {
        if case .integer(let value)? = self[column] { return value }
        return nil
    }

    func time(_ column: String) throws -> Timestamp { Timestamp(milliseconds: try integer(column)) }
}
