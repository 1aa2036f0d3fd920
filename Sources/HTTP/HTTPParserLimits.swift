/// Size limits the request parser enforces while reading.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line plus header fields, in bytes; beyond it the answer is 431.
    public var maxHeaderBytes: Int
    /// Number of header fields; beyond it the answer is 431.
    public var maxHeaderCount: Int
    /// Decoded body bytes; beyond it the answer is 413. Inngest call requests
    /// carry every memoized step and reach 4 MB and more, hence the default.
    public var maxBodyBytes: Int

    public init(maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 32 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
