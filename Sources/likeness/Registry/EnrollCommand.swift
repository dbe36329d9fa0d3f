import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessVoiceprint

/// `likeness enroll --artist NAME FILE...`: adds an artist's own recordings to the registry.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enrol an artist's voice from clips of their own speech.",
        discussion: """
        Each clip is embedded; the registry stores its voiceprint, SHA-256, duration, sample rate and model id, \
        never the audio. A clip with less than \(Int(EnrollCommand.minimumSpeechSeconds)) s of speech after silence \
        trimming, or with heavy clipping, is rejected with the reason. Enrolment is all or nothing: if any clip is \
        rejected, nothing is stored (use --skip-rejected to enrol the others). A clip enrolled before (same \
        SHA-256) is skipped.

        Examples:
          likeness enroll --artist "Alice Example" \\
              --consent "Recorded with consent, 2026-11-25" \\
              samples/alice_1.wav samples/alice_2.wav
          likeness enroll --artist "Alice Example" --id alice \\
              --consent-file consent.txt take*.wav
        """
    )

    /// Less speech than this makes an unreliable voiceprint (GE2E partials are 1.6 s; 3 s gives at least 3).
    static let minimumSpeechSeconds = 3.0
    /// Fraction of samples at full scale above which a clip counts as heavily clipped.
    static let maximumClippedFraction = 0.01

    @Option(help: "The artist's name.")
    var artist: String

    @Option(help: "Artist id (default: derived from the name). Enrolling to an existing id adds clips.")
    var id: String?

    @Option(help: "Consent statement to store with the voiceprint.")
    var consent: String?

    @Option(help: "File holding the consent statement.")
    var consentFile: String?

    @Flag(help: "Enrol the acceptable clips even if some are rejected.")
    var skipRejected = false

    @Argument(help: "Clips of the artist's voice.")
    var files: [String]

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if consent != nil && consentFile != nil { throw ValidationError("give --consent or --consent-file, not both") }
        if files.isEmpty { throw ValidationError("give at least one clip to enrol") }
        try model.requireExactArithmetic(for: "enroll")
    }

    struct Rejection: Encodable {
        let file: String
        let reason: String
    }

    struct Payload: Encodable {
        let artist: ArtistSummary
        let created: Bool
        let added: [String]
        let skippedDuplicates: [String]
        let rejected: [Rejection]
        let registry: String
    }

    func run() async throws {
        var consentText = consent
        if let consentFile {
            guard let text = try? String(contentsOfFile: consentFile, encoding: .utf8) else {
                throw CLIError("\(consentFile): cannot read the consent file")
            }
            consentText = text
        }
        let embedder = try model.makeEmbedder()
        let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: !model.noPreprocess)
        var accepted: [ClipEnrolment] = []
        var rejected: [Rejection] = []
        for (file, result) in zip(files, results) {
            switch result {
            case .failure(let error):
                rejected.append(Rejection(file: file, reason: "\(error)"))
            case .success(let clip):
                clip.warnings.forEach { Output.warn($0) }
                if let reason = rejection(clip) {
                    rejected.append(Rejection(file: file, reason: reason))
                    continue
                }
                accepted.append(ClipEnrolment(
                    sha256: clip.sha256, fileName: URL(fileURLWithPath: file).lastPathComponent,
                    durationSeconds: clip.durationSeconds, sampleRate: clip.info.sampleRate,
                    speechSeconds: clip.voiceprint.speechSeconds, modelID: clip.voiceprint.modelID,
                    embedding: clip.voiceprint.embedding))
            }
        }
        rejected.forEach { Output.note("rejected \($0.file): \($0.reason)") }
        if !rejected.isEmpty && !skipRejected {
            throw CLIError("nothing enrolled: \(rejected.count) of \(files.count) clips rejected (see above; --skip-rejected enrols the rest)")
        }
        guard !accepted.isEmpty else { throw CLIError("nothing enrolled: no acceptable clips") }

        let reg = try registry.open()
        let result = try await reg.enroll(artistID: id, name: artist, consent: consentText, clips: accepted,
                                    toolVersion: LikenessVersion.string)
        if json {
            try Output.printJSON(Payload(artist: result.artist, created: result.created, added: result.added,
                                         skippedDuplicates: result.skippedDuplicates, rejected: rejected,
                                         registry: registry.url.path))
        } else {
            let a = result.artist
            print("\(result.created ? "enrolled" : "updated") \(a.name) (id \(a.id)): \(result.added.count) clip(s) added"
                  + (result.skippedDuplicates.isEmpty ? "" : ", \(result.skippedDuplicates.count) already enrolled (skipped)")
                  + "; now \(a.clips) clip(s), \(String(format: "%.1f", a.speechSeconds)) s of speech")
        }
    }

    /// Why a decoded clip is not fit to be part of a voiceprint, or nil.
    private func rejection(_ clip: EmbeddedClip) -> String? {
        if clip.voiceprint.speechSeconds < Self.minimumSpeechSeconds {
            return String(format: "too little speech: %.1f s after silence trimming (need %.0f s)",
                          clip.voiceprint.speechSeconds, Self.minimumSpeechSeconds)
        }
        if clip.clippedFraction > Self.maximumClippedFraction {
            return String(format: "heavy clipping: %.1f %% of samples at full scale", clip.clippedFraction * 100)
        }
        return nil
    }
}
