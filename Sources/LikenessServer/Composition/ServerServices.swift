import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import LikenessAudio
import LikenessCore
import LikenessRegistry
import LikenessScoring

/// What the routes work with, built once by the composition root (`likeness serve`, or a test): the registry's
/// store, the token store, the analyzer and scoring the use cases take (as the CLI's options build them), the
/// upload area, the worker pool and the limits.
public struct ServerServices: Sendable {
    public let store: any RegistryStore
    public let tokens: any TokenStore
    public let analyzer: ClipAnalyzer
    /// Scoring for compare and identify (the CLI's `--calibration` / `--cohort`).
    public let scoring: ScoringSystem
    /// Scoring for reports (the CLI's `report` uses the shipped calibration and cohort by default), or why there
    /// is none for this model (the report route then answers 422 with the reason).
    public let reportScoring: Result<ScoringSystem, any Error>
    /// The synthetic-speech indicator (`POST /v1/synthetic`, compare's `synthetic` field, reports), or why there
    /// is none (its model missing: those answer 422 with the reason, the rest of the API works).
    public let synthetic: Result<SyntheticSpeechAnalyzer, any Error>
    /// The statement the web page shows an artist and records as their consent when they accept it.
    public let consentText: String
    public let uploads: UploadArea
    public let pool: WorkerPool
    public let limits: ServerLimits

    public init(store: any RegistryStore, tokens: any TokenStore, analyzer: ClipAnalyzer, scoring: ScoringSystem,
                reportScoring: Result<ScoringSystem, any Error>, synthetic: Result<SyntheticSpeechAnalyzer, any Error>,
                consentText: String = ServerServices.defaultConsentText,
                uploads: UploadArea, limits: ServerLimits = ServerLimits()) {
        self.store = store
        self.tokens = tokens
        self.analyzer = analyzer
        self.scoring = scoring
        self.reportScoring = reportScoring
        self.synthetic = synthetic
        self.consentText = consentText
        self.uploads = uploads
        self.limits = limits
        pool = WorkerPool(workers: limits.workers, queueDepth: limits.queueDepth, maxWait: limits.queueWaitSeconds)
    }

    public static let defaultConsentText = """
        I consent to the storage of a voiceprint made from the recordings I upload here (numbers describing my voice; \
        the recordings themselves are deleted once analysed), so that recordings of voices like mine can be compared \
        with it. I can read, withdraw this consent and erase my voiceprint at any time on this page.
        """

    /// The registry as one request's token sees it: every audit event it records names the token (`TokenAuditStore`).
    func registry(for token: APIToken) -> Registry {
        Registry(store: TokenAuditStore(base: store, tokenID: token.id))
    }

    /// Refuses (413) a stored clip whose header declares more audio than `limit` seconds, naming the clip (by its
    /// uploaded name) and the limit. A file that is not audio passes: the use case refuses it with its own message.
    static func checkDurations(_ batch: UploadBatch, limit: Double) throws {
        for path in batch.paths {
            guard let declared = try? AudioDecoder.probe(path: path).declaredDuration, declared > limit else { continue }
            throw APIError(.contentTooLarge, String(
                format: "%@: the file declares %.0f minutes of audio; this server analyses at most %.0f minutes per clip (likeness serve --max-audio-minutes)",
                URL(fileURLWithPath: path).lastPathComponent, declared / 60, limit / 60))
        }
    }

    /// The synthetic-speech analyzer, or a 422 saying why this server has none.
    func syntheticAnalyzer() throws -> SyntheticSpeechAnalyzer {
        switch synthetic {
        case .success(let analyzer): return analyzer
        case .failure(let error): throw APIError(.unprocessableContent, "the synthetic-speech indicator is not available on this server: \(error)")
        }
    }

    /// The request body, at most `maxUploadBytes` (413 beyond, before reading it when Content-Length says so).
    func body(of request: Request, limit: Int? = nil) async throws -> ByteBuffer {
        let limit = limit ?? limits.maxUploadBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "the request body is \(length) bytes; at most \(limit) are accepted")
        }
        do { return try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the request body exceeds \(limit) bytes, the most accepted")
        }
    }

    /// A multipart form (`MultipartForm`).
    func form(of request: Request) async throws -> MultipartForm {
        let contentType = request.headers[.contentType]
        guard contentType.map({ MultipartForm.boundary(in: $0) != nil }) ?? false else {
            throw APIError(.unsupportedMediaType, "the body must be multipart/form-data with a boundary (got \(contentType.map { "'\($0)'" } ?? "no Content-Type"))")
        }
        return try MultipartForm.parse(try await body(of: request), contentType: contentType, maxFieldBytes: limits.maxFieldBytes)
    }

    /// Runs `job` on the worker pool with `files` written to the upload area only for the job's duration; returns
    /// the job's result and a function that shortens upload paths in text. Failures come back as `APIError`s
    /// with upload paths shortened too.
    func process<T: Sendable>(_ files: [MultipartForm.File], _ job: @escaping @Sendable ([String]) async throws -> T)
        async throws -> (value: T, scrub: @Sendable (String) -> String) {
        let uploads = self.uploads
        do {
            return try await pool.run { () async throws -> (value: T, scrub: @Sendable (String) -> String) in
                let batch = try uploads.store(files)
                defer { batch.remove() }
                try Self.checkDurations(batch, limit: limits.maxAudioSeconds)
                do {
                    let scrub: @Sendable (String) -> String = { batch.scrub($0) }
                    return (try await job(batch.paths), scrub)
                } catch {
                    throw APIError.from(error, retryAfter: limits.retryAfterSeconds, scrub: batch.scrub)
                }
            }
        } catch {
            throw APIError.from(error, retryAfter: limits.retryAfterSeconds)
        }
    }
}
