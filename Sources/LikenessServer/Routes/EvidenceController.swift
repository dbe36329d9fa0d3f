import Foundation
import HTTPTypes
import Hummingbird
import LikenessCore
import LikenessReport
import LikenessScoring
import NIOCore

/// The examiner's routes: `POST /v1/compare` (`CompareWithArtist` or `CompareClips`), `POST /v1/identify`
/// (`Identify`), `POST /v1/report` (`BuildEvidenceReport`, the HTML page) and `POST /v1/synthetic`
/// (`SyntheticSpeechAnalyzer`), each answering what the CLI's `compare --json`, `identify --json`, `report` and
/// `synthetic --json` give. Admin and examiner tokens only.
///
/// Another check over one uploaded clip is one more handler here in the same shape: take the form,
/// `services.process` the clip with the use case, answer its result.
struct EvidenceController: Sendable {
    typealias Context = LikenessRequestContext
    let services: ServerServices

    func addRoutes(to api: RouterGroup<Context>) {
        api.post("compare", use: compare)
        api.post("identify", use: identify)
        api.post("report", use: report)
        api.post("synthetic", use: synthetic)
    }

    /// Multipart: file `clip` and either field `artist` (an enrolled artist's id) or file `other` (a second clip);
    /// optional `synthetic` (true: also the synthetic-speech indicator of each uploaded clip, as `compare --synthetic`).
    @Sendable func compare(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        try AccessPolicy.requireExaminer(token, for: "compare")
        let form = try await services.form(of: request)
        try form.requireOnlyFiles(in: ["clip", "other"])
        let clip = try Self.one(form, "clip", "the questioned recording")
        let other = form.files("other")
        guard other.count <= 1 else { throw APIError(.badRequest, "give one file 'other', not \(other.count)") }
        let scoring = services.scoring, analyzer = services.analyzer
        let synthetic = try form.flag("synthetic") ? try services.syntheticAnalyzer() : nil
        let result: (value: VoiceComparison, scrub: @Sendable (String) -> String)
        switch (form.field("artist"), other.first) {
        case (let artist?, nil):
            let registry = services.registry(for: token)
            result = try await services.process([clip]) { paths in
                let compared = try await CompareWithArtist(registry: registry, analyzer: analyzer, scoring: scoring).run(clipPath: paths[0], artistID: artist)
                return try synthetic.map { try compared.addingSyntheticSpeech($0, paths: paths, parallel: false) } ?? compared
            }
        case (nil, let second?):
            result = try await services.process([clip, second]) { paths in
                let compared = try CompareClips(analyzer: analyzer, scoring: scoring).run(paths[0], paths[1])
                return try synthetic.map { try compared.addingSyntheticSpeech($0, paths: paths, parallel: false) } ?? compared
            }
        case (_?, _?): throw APIError(.badRequest, "give field 'artist' or file 'other', not both")
        case (nil, nil): throw APIError(.badRequest, "missing field 'artist' (an enrolled artist's id) or file 'other' (a second clip)")
        }
        return try JSONResponse.make(result.value, scrub: result.scrub)
    }

    /// Multipart: file `clip`, optional `top` (1...100, default 5) and `include_unconsented`.
    @Sendable func identify(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        try AccessPolicy.requireExaminer(token, for: "identify")
        let form = try await services.form(of: request)
        try form.requireOnlyFiles(in: ["clip"])
        let clip = try Self.one(form, "clip", "the recording to identify")
        let top = try form.field("top").map { text -> Int in
            guard let n = Int(text), (1...100).contains(n) else { throw APIError(.badRequest, "field 'top' must be a whole number from 1 to 100 (got '\(text)')") }
            return n
        } ?? 5
        let includeUnconsented = try form.flag("include_unconsented")
        let registry = services.registry(for: token), analyzer = services.analyzer, scoring = services.scoring
        let result = try await services.process([clip]) { paths in
            try await Identify(registry: registry, analyzer: analyzer, scoring: scoring)
                .run(clipPath: paths[0], top: top, registryName: "the registry", includeUnconsented: includeUnconsented)
        }
        return try JSONResponse.make(result.value, scrub: result.scrub)
    }

    /// Multipart: file `clip`, field `artist`, optional `case`, `exhibit`, `examiner`, `instructing_party`, and
    /// `synthetic` (default true: the report shows the synthetic-speech indicator, as the CLI's `report` does;
    /// false leaves it out, as `--no-synthetic`). Answers the self-contained HTML report; its `compare` audit event
    /// names the token.
    @Sendable func report(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        try AccessPolicy.requireExaminer(token, for: "make reports")
        let form = try await services.form(of: request)
        try form.requireOnlyFiles(in: ["clip"])
        let clip = try Self.one(form, "clip", "the questioned recording")
        let artist = try form.require("artist", for: "the enrolled artist's id")
        let scoring: ScoringSystem
        switch services.reportScoring {
        case .success(let s): scoring = s
        case .failure(let error): throw APIError(.unprocessableContent, "reports are not available with this server's model: \(error)")
        }
        let details = CaseDetails(caseNumber: form.field("case"), exhibit: form.field("exhibit"),
                                  examiner: form.field("examiner"), instructingParty: form.field("instructing_party"))
        let withSynthetic = form.field("synthetic") == nil ? true : try form.flag("synthetic")
        let synthetic = withSynthetic ? try services.syntheticAnalyzer() : nil
        let registry = services.registry(for: token), analyzer = services.analyzer
        let built = try await services.process([clip]) { paths in
            let built = try await BuildEvidenceReport(registry: registry, analyzer: analyzer, scoring: scoring, synthetic: synthetic)
                .run(clipPath: paths[0], artistID: artist, output: "HTTP response (POST /v1/report)", caseDetails: details)
            try await registry.recordAudit(built.auditEvent)
            return built.html
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: built.scrub(built.value))))
    }

    /// Multipart: file `clip`. Answers one entry of `likeness synthetic --json`: `{file, sha256, model, seconds,
    /// score, llr, windows: [{start, seconds, logits, score}], warnings}`, where a higher `score`/`llr` means more
    /// likely a human recording; plus `verdict` and the indicator's `caveat` in words.
    @Sendable func synthetic(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        try AccessPolicy.requireExaminer(token, for: "check for synthetic speech")
        let form = try await services.form(of: request)
        try form.requireOnlyFiles(in: ["clip"])
        let clip = try Self.one(form, "clip", "the recording to judge")
        let analyzer = try services.syntheticAnalyzer()
        let result = try await services.process([clip]) { paths in
            SyntheticAnswer(result: try analyzer.analyze(path: paths[0]))
        }
        return try JSONResponse.make(result.value, scrub: result.scrub)
    }

    /// The one file under `field`, or a 400.
    static func one(_ form: MultipartForm, _ field: String, _ what: String) throws -> MultipartForm.File {
        let files = form.files(field)
        guard files.count == 1 else {
            throw APIError(.badRequest, files.isEmpty ? "missing file field '\(field)' (\(what))" : "give one file '\(field)', not \(files.count)")
        }
        return files[0]
    }
}

/// `POST /v1/synthetic`'s answer: the CLI's JSON of the clip, plus the verdict and the caveat in words, so a client
/// shows the indicator as the CLI and the report word it.
struct SyntheticAnswer: Encodable, Sendable {
    let result: SyntheticSpeechResult

    private enum Extra: String, CodingKey { case verdict, caveat }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var extra = encoder.container(keyedBy: Extra.self)
        try extra.encode(result.verdict, forKey: .verdict)
        try extra.encode(SyntheticSpeechResult.caveat, forKey: .caveat)
    }
}
