import Foundation
import HTTPTypes
import Hummingbird
import LikenessCore
import LikenessRegistry

/// `/v1/artists`: enrol (`Enrol`), list, show, change consent (`Registry.consent`) and erase (`Registry.remove`),
/// answering with the result types of `likeness enroll / artists ... --json`.
struct ArtistsController: Sendable {
    typealias Context = LikenessRequestContext
    let services: ServerServices

    func addRoutes(to api: RouterGroup<Context>) {
        api.post("artists", use: enrol)
        api.get("artists", use: list)
        api.get("artists/{id}", use: show)
        api.delete("artists/{id}", use: remove)
        api.post("artists/{id}/consent", use: consent)
    }

    /// Multipart: `name`, optional `id`, `consent`, `skip_rejected`, `allow_mixed`, and one or more `clips` files.
    /// 201 with `Enrol.Result` for a new artist, 200 when clips were added to an existing one.
    @Sendable func enrol(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        let form = try await services.form(of: request)
        try form.requireOnlyFiles(in: ["clips"])
        let name = try form.require("name", for: "the artist's name")
        var givenID = form.field("id")
        if token.role == .artist {
            if let givenID, givenID != token.artistID {
                throw APIError(.forbidden, "this artist token belongs to artist \(token.artistID ?? "?"), not \(givenID)")
            }
            givenID = token.artistID
        }
        let artistID = try Registry.artistID(given: givenID, name: name)
        try AccessPolicy.requireManage(token, artistID: artistID, action: "enrol artists")
        let clips = form.files("clips")
        guard !clips.isEmpty else { throw APIError(.badRequest, "missing file field 'clips' (one or more recordings of the artist)") }
        guard clips.count <= services.limits.maxClipsPerRequest else {
            throw APIError(.badRequest, "\(clips.count) clips in one request; at most \(services.limits.maxClipsPerRequest) are accepted")
        }
        let base = Enrol.Request(artistName: name, artistID: givenID, consent: form.field("consent"), files: [],
                                    skipRejected: try form.flag("skip_rejected"), allowMixed: try form.flag("allow_mixed"))
        let registry = services.registry(for: token), analyzer = services.analyzer
        let (result, scrub) = try await services.process(clips) { paths in
            var rejected: [Enrol.Rejection] = []
            var enrolment = base
            enrolment.files = paths
            do {
                return try await Enrol(registry: registry, analyzer: analyzer).run(enrolment, onRejection: { rejected.append($0) })
            } catch is LikenessError where !rejected.isEmpty {
                // The CLI prints each rejection before this error; the API puts them in the message.
                let reasons = rejected.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent): \($0.reason)" }.joined(separator: "; ")
                throw LikenessError.invalidInput("nothing enrolled: \(rejected.count) of \(paths.count) clips rejected (skip_rejected=true enrols the rest): \(reasons)")
            }
        }
        return try JSONResponse.make(result, status: result.created ? .created : .ok, scrub: scrub)
    }

    /// The artists a token may see: all of them, or an artist token's own.
    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        let artists = try await services.registry(for: token).artists()
        return try JSONResponse.make(token.role == .artist ? artists.filter { $0.id == token.artistID } : artists)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        let id = try context.parameters.require("id")
        try AccessPolicy.requireRead(token, artistID: id)
        return try JSONResponse.make(try await services.registry(for: token).artist(id: id))
    }

    /// Erases the artist (as `likeness artists remove`) and revokes the artist tokens that belonged to it.
    @Sendable func remove(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        let id = try context.parameters.require("id")
        try AccessPolicy.requireManage(token, artistID: id, action: "erase artists")
        let receipt = try await services.registry(for: token).remove(id: id, toolVersion: ToolVersion.string)
        let now = ServerClock.timestamp()
        for stale in try await services.tokens.tokens() where stale.artistID == id && stale.revokedAt == nil {
            _ = try await services.tokens.revoke(id: stale.id, at: now)
        }
        return try JSONResponse.make(receipt)
    }

    /// JSON `{"text": STATEMENT}` records consent given; `{"withdraw": true}` its withdrawal.
    struct ConsentBody: Decodable {
        let text: String?
        let withdraw: Bool?
    }

    @Sendable func consent(_ request: Request, context: Context) async throws -> Response {
        let token = try context.token()
        let id = try context.parameters.require("id")
        try AccessPolicy.requireManage(token, artistID: id, action: "change consent")
        let body: ConsentBody = try await JSONBody.decode(request, services: services)
        let withdraw = body.withdraw ?? false
        if withdraw == (body.text != nil) {
            throw APIError(.badRequest, "give {\"text\": STATEMENT} or {\"withdraw\": true}, one of them")
        }
        let change = try await services.registry(for: token).consent(
            id: id, text: body.text, withdraw: withdraw, source: .text, toolVersion: ToolVersion.string)
        return try JSONResponse.make(change)
    }
}
