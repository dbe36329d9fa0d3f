import Foundation

extension Registry {
    /// Enrols `clips` for an artist in one transaction: either every new clip is stored (and the
    /// voiceprint mean recomputed) or nothing changes.
    ///
    /// The id is `artistID` or, when nil, the slug of `name`. An existing id adds clips when the
    /// names agree (case-insensitively) and throws `artistNameConflict` otherwise. Clips the artist
    /// already has (same SHA-256 and model) are skipped and reported. A non-nil `consent` never replaces
    /// consent: it is recorded as a `given` event (with a `consent` audit row) when the artist has none on
    /// record, ignored when the same statement is in force, and refused with `consentConflict` (nothing
    /// enrolled) when another statement is in force or consent was withdrawn. Each clip writes an `enrol`
    /// audit row (no name, no file name).
    /// The id `enroll(artistID:name:...)` would use: `given`, else the slug of the normalised `name`.
    public static func artistID(given: String?, name: String) throws -> String {
        try ArtistID.resolve(given, name: ArtistName.normalised(name))
    }

    public func enroll(
        artistID: String?, name: String, consent: String?, clips: [ClipEnrolment], toolVersion: String
    ) async throws -> EnrolmentResult {
        let name = ArtistName.normalised(name)
        guard !name.isEmpty else { throw RegistryError.invalidArtistName }
        let id = try ArtistID.resolve(artistID, name: name)
        guard !clips.isEmpty else { throw RegistryError.noClips }
        let consentText = ConsentMerge.enrolmentText(consent)
        let now = RegistryTimestamp.now()

        return try await store.transaction { transaction in
            let created = try await ClipStorage.ensureArtist(transaction, id: id, name: name, createdAt: now, updatedAt: now)
            var consentRecorded = false
            if let consentText {
                let current = ConsentState.of(try await transaction.consentHistory(artistID: id))
                if try ConsentMerge.enrolmentRecords(consentText, current: current, artistID: id) {
                    try await Self.recordConsent(
                        ConsentEvent(status: .given, text: consentText, recordedAt: now), previous: current,
                        source: .enrol, artistID: id, toolVersion: toolVersion, in: transaction)
                    consentRecorded = true
                }
            }
            var added: [String] = []
            var skipped: [String] = []
            var models = Set<String>()
            for clip in clips {
                let valid = try ClipValidation.validated(clip)
                let inserted = try await ClipStorage.add(
                    EnrolledClip(clip: valid, enrolledAt: now), artistID: id, in: transaction)
                if inserted { added.append(valid.sha256); models.insert(valid.modelID) }
                else { skipped.append(valid.sha256) }
                try await transaction.appendAudit(AuditEvent(
                    kind: .enrol, artistID: id, audioSHA256: valid.sha256, modelID: valid.modelID,
                    toolVersion: toolVersion,
                    parameters: [
                        "duration_seconds": .number(valid.durationSeconds),
                        "speech_seconds": .number(valid.speechSeconds),
                        "sample_rate": .number(Double(valid.sampleRate)),
                        "dimension": .number(Double(valid.embedding.count)),
                        "consent_provided": .bool(consentText != nil),
                    ].merging(valid.overriddenCheck.map { ["single_speaker_check_overridden": .string($0)] } ?? [:]) { a, _ in a },
                    result: ["status": inserted ? "added" : "skipped_duplicate", "artist_created": .bool(created)]),
                    timestamp: now)
            }
            for model in models.sorted() {
                try await ClipStorage.refreshVoiceprint(artistID: id, modelID: model, now: now, in: transaction)
            }
            if !added.isEmpty || consentRecorded {
                try await transaction.setUpdatedAt(now, artistID: id)
            }
            guard let summary = try await transaction.artistSummary(id: id) else {
                throw RegistryError.artistNotFound(id: id)
            }
            return EnrolmentResult(artist: summary, created: created, added: added, skippedDuplicates: skipped)
        }
    }
}
