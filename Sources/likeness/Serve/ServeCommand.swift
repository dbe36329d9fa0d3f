import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistrySQLite
import LikenessScoring
import LikenessServer
import Logging

/// `likeness serve`: the HTTP API and the artists' web page over the same use cases as the CLI.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (/v1) and the artists' enrolment page (/) over the registry.",
        discussion: """
        Every /v1 request except /v1/health and /v1/openapi.json needs `Authorization: Bearer TOKEN`, a token \
        made with `likeness serve token create`. Answers are the JSON of the matching command's --json.

        Examples:
          likeness serve token create --role admin --registry team.sqlite
          likeness serve --registry team.sqlite --port 8080
          curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/artists
        """,
        subcommands: [Run.self, TokenCommand.self],
        defaultSubcommand: Run.self
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the server until SIGTERM or SIGINT (in-flight requests finish first).")

        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var model: ModelOptions
        @OptionGroup var evidence: EvidenceOptions

        @Option(help: "Largest request body in MB (413 beyond).") var maxUploadMb = 50
        @Option(help: "Most clips in one request.") var maxClips = ServerLimits().maxClipsPerRequest
        @Option(help: "Longest audio one clip may declare, in minutes (413 beyond, before any analysis): with --max-upload-mb it bounds how long one request holds a worker.")
        var maxAudioMinutes = ServerLimits().maxAudioSeconds / 60
        @Option(help: "Analyses at once (default: the CPU count).") var workers = ServerLimits().workers
        @Option(help: "Requests waiting for a worker before 503 + Retry-After.") var queue = ServerLimits().queueDepth
        @Option(help: "Seconds a request may wait for a worker before 503.") var queueWait = ServerLimits().queueWaitSeconds
        @Option(help: "Folder for uploads while they are processed (default: a new folder under the system's temporary folder).")
        var uploadDir: String?
        @Option(help: "UTF-8 file with the consent statement the web page asks artists to accept.") var consentFile: String?

        func validate() throws {
            try model.requireExactArithmetic(for: "serve (it enrols and reports)")
            guard (1...65535).contains(port) || port == 0 else { throw ValidationError("--port must be 0...65535") }
            guard maxUploadMb >= 1, maxClips >= 1, workers >= 1, queue >= 0, queueWait > 0, maxAudioMinutes > 0 else {
                throw ValidationError("--max-upload-mb, --max-clips and --workers must be at least 1, --queue at least 0, --queue-wait and --max-audio-minutes above 0")
            }
        }

        func run() async throws {
            var limits = ServerLimits()
            limits.maxUploadBytes = maxUploadMb * 1024 * 1024
            limits.maxClipsPerRequest = maxClips
            limits.maxAudioSeconds = maxAudioMinutes * 60
            limits.workers = workers
            limits.queueDepth = queue
            limits.queueWaitSeconds = queueWait
            let analyzer = try model.makeAnalyzer(progress: false)
            let modelID = analyzer.embedder.modelID
            let scoring = try evidence.selection.load(modelID: modelID)
            let reportSelection = evidence.selection.withDefaults
            let reportScoring = Result<ScoringSystem, any Error> { try reportSelection.load(modelID: modelID) }
            let synthetic = Result<SyntheticSpeechAnalyzer, any Error> { try AssessSyntheticSpeech.makeAnalyzer() }
            if case .failure(let error) = synthetic {
                Output.warn("the synthetic-speech indicator is not available (POST /v1/synthetic and reports will say so): \(error)")
            }
            let uploadRoot = uploadDir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("likeness-uploads-\(ProcessInfo.processInfo.processIdentifier)")
            let uploads = try UploadArea(root: uploadRoot)
            defer { try? FileManager.default.removeItem(at: uploadRoot) }
            let services = ServerServices(
                store: try registry.openStore(), tokens: try await TokenCommand.store(registry, create: true),
                analyzer: analyzer, scoring: scoring, reportScoring: reportScoring, synthetic: synthetic,
                consentText: try consentFile.map(ConsentStatementFile.read) ?? ServerServices.defaultConsentText,
                uploads: uploads, limits: limits)
            var logger = Logger(label: "likeness.serve")
            logger.logLevel = .info
            let host = host, registryPath = registry.displayName
            let app = try LikenessServerApp.makeApplication(services: services, listening: .init(host: host, port: port), logger: logger) { port in
                Output.note("likeness serve: listening on http://\(host):\(port) (registry \(registryPath), model \(modelID))")
            }
            try await app.runService()
            Output.note("likeness serve: stopped")
        }
    }
}
