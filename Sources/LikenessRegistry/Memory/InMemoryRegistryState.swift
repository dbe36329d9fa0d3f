import Foundation

/// The data of an `InMemoryRegistryStore`: rows as a database would hold them.
struct InMemoryRegistryState: Sendable {
    struct ClipRow: Sendable {
        var artistID: String
        var clip: EnrolledClip
    }

    struct VoiceprintKey: Hashable, Sendable {
        var artistID: String
        var modelID: String
    }

    struct VoiceprintRow: Sendable {
        var mean: [Float]
        var clipCount: Int
        var updatedAt: String
    }

    var artists: [String: ArtistRecord] = [:]
    /// In insertion order (the enrolment order of each artist's clips).
    var clips: [ClipRow] = []
    var voiceprints: [VoiceprintKey: VoiceprintRow] = [:]
    var audit: [AuditRecord] = []
    var revision: Int64 = 0

    func summary(id: String) -> ArtistSummary? {
        guard let record = artists[id] else { return nil }
        let clips = clips.filter { $0.artistID == id }
        // A clip enrolled with several models is one clip (one recording), counted once.
        let recordings = ClipStorage.recordings(clips.map { ($0.clip.clip.sha256, $0.clip.clip.speechSeconds) })
        return ArtistSummary(
            id: id, name: record.name, clips: recordings.count,
            speechSeconds: recordings.speechSeconds,
            modelIDs: Set(clips.map(\.clip.clip.modelID)).sorted(), hasConsent: record.consentState.status == .given,
            createdAt: record.createdAt, updatedAt: record.updatedAt, consentState: record.consentState)
    }

    func voiceprint(artistID: String, modelID: String) -> StoredVoiceprint? {
        guard let record = artists[artistID],
              let row = voiceprints[VoiceprintKey(artistID: artistID, modelID: modelID)]
        else { return nil }
        return StoredVoiceprint(
            artistID: artistID, name: record.name, modelID: modelID, mean: row.mean,
            clips: clipEmbeddings(artistID: artistID, modelID: modelID))
    }

    func clipEmbeddings(artistID: String, modelID: String) -> [StoredVoiceprint.Clip] {
        clips.filter { $0.artistID == artistID && $0.clip.clip.modelID == modelID }
            .map { StoredVoiceprint.Clip(sha256: $0.clip.clip.sha256, embedding: $0.clip.clip.embedding) }
    }
}
