/// Who is acting: the identity an access token proved.
public struct Caller: Sendable, Hashable {
    /// The token's `userId`.
    public var userId: String
    /// The display name: the token's `name`, or the user id.
    public var name: String

    public init(userId: String, name: String? = nil) {
        self.userId = userId
        self.name = name ?? userId
    }
}
