import Foundation

/// What one server accepts and how much work it takes on at once. Defaults suit a small machine.
public struct ServerLimits: Sendable {
    /// Largest request body in bytes; beyond it 413. Default 50 MB.
    public var maxUploadBytes = 50 * 1024 * 1024
    /// Most audio files in one request (enrolment); beyond it 400. Default 20.
    public var maxClipsPerRequest = 20
    /// Longest audio one uploaded clip may declare, in seconds; beyond it 413 before any analysis. With the upload
    /// size it bounds how long one request can hold a worker (a 50 MB MP3 can hold hours). Default 3600 (1 hour).
    public var maxAudioSeconds = 3600.0
    /// Analyses running at once on the worker pool. Default: the CPU count, at least 1.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Requests waiting for a worker; when full, 503 with `Retry-After`. Default 32.
    public var queueDepth = 32
    /// Longest wait for a worker before the request is answered 503. Default 60 s.
    public var queueWaitSeconds = 60.0
    /// The `Retry-After` a 503 carries, in seconds. Default 5.
    public var retryAfterSeconds = 5
    /// A connection idle (no bytes of a request arriving, no response being written) this long is closed, which
    /// also ends a request whose body trickles in too slowly. Default 30 s.
    public var idleTimeoutSeconds = 30.0
    /// Largest request header field and header section in bytes; beyond it the request is refused. Default 16 KiB.
    public var maxHeaderBytes = 16 * 1024
    /// Longest consent statement or form field accepted, in bytes. Default 64 KiB (a consent file's limit).
    public var maxFieldBytes = 64 * 1024

    public init() {}
}
