import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LikenessCore
import LikenessRegistry
import LikenessRegistrySQLite
import LikenessScoring
import LikenessServer
import LikenessVoiceprint
import NIOCore
import Testing

/// One server over a fresh SQLite registry in a temporary folder, with the GE2E model (fast enough for tests),
/// the analyzer built as the CLI builds it, and an admin, an examiner and an artist token (for `alice-example`).
struct ServerHarness {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var ge2eFile: URL {
        ProcessInfo.processInfo.environment["LIKENESS_MODEL"].map { URL(fileURLWithPath: $0) }
            ?? repoRoot.appendingPathComponent("models/ge2e-resemblyzer-0.1.4.safetensors")
    }

    static var modelPresent: Bool { FileManager.default.fileExists(atPath: ge2eFile.path) }

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: repoRoot.appendingPathComponent("samples").appendingPathComponent(name))
    }

    let dir: URL
    let services: ServerServices
    let admin: String, examiner: String, artist: String
    let adminID: String, artistID: String

    init(limits: ServerLimits = ServerLimits()) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteRegistryStore(url: dir.appendingPathComponent("reg.sqlite"))
        let tokens = InMemoryTokenStore()
        let embedder = try ModelCatalogue.named("ge2e")!.speakerEmbedder(.init(file: Self.ge2eFile))
        var analyzer = ClipAnalyzer(embedder: embedder)
        analyzer.mixtureCheck = SpeakerMixtureCheck.screen(in: embedder).map { SpeakerMixtureCheck(screen: $0) }
        let scoring = try EvidenceSelection().load(modelID: embedder.modelID)
        let report = Result<ScoringSystem, any Error> { try EvidenceSelection().withDefaults.load(modelID: embedder.modelID) }
        let synthetic = Result<SyntheticSpeechAnalyzer, any Error> {
            try AssessSyntheticSpeech.makeAnalyzer(modelFile: Self.repoRoot.appendingPathComponent("models/\(AASISTSource.fileName)"))
        }
        services = ServerServices(store: store, tokens: tokens, analyzer: analyzer, scoring: scoring, reportScoring: report,
                                  synthetic: synthetic,
                                  uploads: try UploadArea(root: dir.appendingPathComponent("uploads")), limits: limits)
        let a = try await TokenIssuer.create(role: .admin, artistID: nil, label: "test admin", in: tokens)
        admin = a.secret
        adminID = a.token.id
        examiner = try await TokenIssuer.create(role: .examiner, artistID: nil, label: nil, in: tokens).secret
        let issued = try await TokenIssuer.create(role: .artist, artistID: "alice-example", label: nil, in: tokens)
        artist = issued.secret
        artistID = issued.token.id
    }

    /// Runs `body` against the real server listening on a loopback port.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try LikenessServerApp.makeApplication(services: services, listening: .init(host: "127.0.0.1", port: 0))
        try await app.test(.live) { client in try await body(client) }
    }

    /// Files left in the upload area (none once requests are answered).
    func uploadsLeft() throws -> [String] {
        let root = dir.appendingPathComponent("uploads")
        return (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String]) ?? []
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// A multipart/form-data body.
struct Multipart {
    let boundary = "likeness-\(UUID().uuidString)"
    private(set) var data = Data()

    mutating func field(_ name: String, _ value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func file(_ name: String, _ fileName: String, _ contents: Data, type: String = "audio/wav") {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8))
        data.append(contents)
        data.append(Data("\r\n".utf8))
    }

    var body: ByteBuffer {
        var all = data
        all.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: all)
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

extension TestResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var text: String { String(buffer: body) }
}

func bearer(_ token: String, contentType: String? = nil) -> HTTPFields {
    var fields: HTTPFields = [.authorization: "Bearer \(token)"]
    if let contentType { fields[.contentType] = contentType }
    return fields
}

extension TestClientProtocol {
    /// POSTs a multipart form with a token.
    func post(_ uri: String, _ form: Multipart, token: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: bearer(token, contentType: form.contentType), body: form.body)
    }

    /// Enrols Alice from the two sample clips (admin token unless given).
    func enrolAlice(token: String, id: String? = nil) async throws -> TestResponse {
        var form = Multipart()
        form.field("name", "Alice Example")
        if let id { form.field("id", id) }
        form.field("consent", "Recorded with consent for the test, 2026")
        form.file("clips", "alice_1.wav", try ServerHarness.sample("alice_1.wav"))
        form.file("clips", "alice_2.wav", try ServerHarness.sample("alice_2.wav"))
        return try await post("/v1/artists", form, token: token)
    }
}
