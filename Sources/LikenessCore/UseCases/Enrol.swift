import Foundation
import LikenessRegistry

/// An artist's own recordings added to the registry: each clip analysed and checked by the `EnrolmentPolicy`;
/// all or nothing unless `skipRejected`.
public struct Enrol: Sendable {
    public let registry: Registry
    public let analyzer: ClipAnalyzer
    public let policy: EnrolmentPolicy

    public init(registry: Registry, analyzer: ClipAnalyzer, policy: EnrolmentPolicy = .init()) {
        self.registry = registry
        self.analyzer = analyzer
        self.policy = policy
    }

    public struct Rejection: Codable, Sendable {
        public let file: String
        public let reason: String
    }

    public struct Request: Sendable {
        public var artistName: String
        public var artistID: String?
        public var consent: String?
        public var files: [String]
        public var skipRejected = false
        /// Enrol clips the one-speaker checks would refuse (a recording of several voices, clips that do not
        /// sound like one person), each with a warning and the reason recorded in its enrol audit event.
        public var allowMixed = false

        public init(artistName: String, artistID: String?, consent: String?, files: [String], skipRejected: Bool,
                    allowMixed: Bool = false) {
            self.artistName = artistName
            self.artistID = artistID
            self.consent = consent
            self.files = files
            self.skipRejected = skipRejected
            self.allowMixed = allowMixed
        }
    }

    public struct Result: Codable, Sendable {
        public let artist: ArtistSummary
        public let created: Bool
        public let added: [String]
        public let skippedDuplicates: [String]
        public let rejected: [Rejection]
        /// Where the registry is (`Registry.location`).
        public let registry: String
        /// The warnings about accepted clips (decoder's, several voices), as `onWarning` heard them.
        public let warnings: [String]
    }

    /// `onRejection` hears every rejected clip before the outcome (so it is said even when nothing is enrolled);
    /// `onWarning` the decoder's warnings of accepted clips.
    public func run(_ request: Request, onRejection: (Rejection) -> Void = { _ in },
                    onWarning: (String) -> Void = { _ in }) async throws -> Result {
        let results = analyzer.analyzeAll(paths: request.files, checkingMixtures: true)
        var candidates: [(file: String, clip: AnalyzedClip, overridden: String?)] = []
        var rejected: [Rejection] = [], warnings: [String] = []
        /// A clip the one-speaker checks refuse: rejected, or with --allow-mixed kept with the reason on record.
        func oneSpeakerCheck(_ file: String, _ reason: String) -> Bool {
            guard request.allowMixed else {
                rejected.append(Rejection(file: file, reason: reason + " (--allow-mixed enrols it anyway, on record)"))
                return false
            }
            let warning = "\(file): enrolled although \(reason) (--allow-mixed; recorded in the audit log)"
            onWarning(warning)
            warnings.append(warning)
            return true
        }
        for (file, result) in zip(request.files, results) {
            switch result {
            case .failure(let error):
                rejected.append(Rejection(file: file, reason: "\(error)"))
            case .success(let clip):
                // The mixture warning becomes this command's refusal (or its override), not a second message.
                let own = clip.warnings.filter { !$0.contains(SpeakerMixtureCheck.warningMarker) }
                own.forEach(onWarning)
                warnings += own
                if let reason = policy.rejection(clip) {
                    rejected.append(Rejection(file: file, reason: reason))
                    continue
                }
                var overridden: String?
                if let reason = policy.mixtureRejection(clip) {
                    guard oneSpeakerCheck(file, reason) else { continue }
                    overridden = reason
                }
                candidates.append((file, clip, overridden))
            }
        }
        // The clips must sound like one person, and like the artist's clips already enrolled with this model.
        let artistID = try Registry.artistID(given: request.artistID, name: request.artistName)
        let enrolled = try await registry.voiceprint(artistID: artistID, modelID: analyzer.embedder.modelID)
        let verdicts = policy.inconsistency(candidates.map(\.clip.voiceprint),
                                            enrolled: enrolled.map { ($0.mean, $0.clips.count) })
        var kept: [(file: String, clip: AnalyzedClip, overridden: String?)] = []
        for (candidate, verdict) in zip(candidates, verdicts) {
            guard let verdict else { kept.append(candidate); continue }
            if oneSpeakerCheck(candidate.file, verdict) {
                kept.append((candidate.file, candidate.clip, [candidate.overridden, verdict].compactMap { $0 }.joined(separator: "; ")))
            }
        }
        var accepted: [ClipEnrolment] = []
        for (file, clip, overridden) in kept {
            // A fusion's clip is stored with each fused model's voiceprint too, so the artist can also be
            // compared with either model alone.
            for voiceprint in [clip.voiceprint] + analyzer.embedder.componentVoiceprints(of: clip.voiceprint) {
                var enrolment = ClipEnrolment(
                    sha256: clip.sha256, fileName: URL(fileURLWithPath: file).lastPathComponent,
                    durationSeconds: clip.durationSeconds, sampleRate: clip.info.sampleRate,
                    speechSeconds: voiceprint.speechSeconds, modelID: voiceprint.modelID,
                    embedding: voiceprint.embedding)
                enrolment.overriddenCheck = overridden
                accepted.append(enrolment)
            }
        }
        rejected.forEach(onRejection)
        if !rejected.isEmpty && !request.skipRejected {
            throw LikenessError.invalidInput("nothing enrolled: \(rejected.count) of \(request.files.count) clips rejected (see above; --skip-rejected enrols the rest)")
        }
        guard !accepted.isEmpty else { throw LikenessError.invalidInput("nothing enrolled: no acceptable clips") }
        let result = try await registry.enroll(artistID: request.artistID, name: request.artistName,
                                               consent: request.consent, clips: accepted, toolVersion: ToolVersion.string)
        // One line per recording: a clip counts as added when any model's voiceprint of it was new (re-enrolling
        // a clip with a model it lacked upgrades it), as a duplicate only when every model already had it.
        let added = Self.unique(result.added)
        let skipped = Self.unique(result.skippedDuplicates).filter { !added.contains($0) }
        return Result(artist: result.artist, created: result.created, added: added,
                      skippedDuplicates: skipped, rejected: rejected, registry: registry.location,
                      warnings: warnings)
    }

    private static func unique(_ hashes: [String]) -> [String] {
        var seen = Set<String>()
        return hashes.filter { seen.insert($0).inserted }
    }
}
