import Foundation

extension Registry {
    // MARK: - Export

    /// The whole registry (one consistent snapshot) as export JSON; appends an `export` audit row.
    public func exportData(toolVersion: String) async throws -> Data {
        let document = RegistryExportDocument(
            format: RegistryExportDocument.format, version: RegistryExportDocument.version,
            exportedAt: RegistryTimestamp.now(), toolVersion: toolVersion, artists: try await store.exportedArtists())
        let data = try document.encoded()
        try await recordAudit(AuditEvent(
            kind: .export, toolVersion: toolVersion,
            parameters: ["format_version": .number(Double(RegistryExportDocument.version))],
            result: [
                "artists": .number(Double(document.artists.count)),
                "clips": .number(Double(document.artists.reduce(0) { $0 + $1.clips.count })),
            ]))
        return data
    }

    /// Writes the export to `url` atomically with mode 0600 (it holds consent text and voiceprints).
    public func export(to url: URL, toolVersion: String) async throws {
        try PrivateFile.write(try await exportData(toolVersion: toolVersion), to: url)
    }

    // MARK: - Import

    /// Merges an export file into this registry in one transaction (all or nothing).
    public func importRegistry(from url: URL, toolVersion: String) async throws -> ImportResult {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RegistryError.invalidImport(reason: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try await importRegistry(data: data, toolVersion: toolVersion)
    }

    /// Merges export JSON: new artists are created with their exported timestamps; existing artists
    /// (same id and name) receive the clips they lack (same artist, SHA-256 and model are skipped);
    /// consent events the local history lacks are appended (nothing is overwritten), so the state is
    /// the newest event of either registry; a version-1 export's single statement is one `given` event. Every clip is
    /// validated like an enrolment; a new artist must bring clips. Appends one `import` audit row per
    /// artist touched.
    public func importRegistry(data: Data, toolVersion: String) async throws -> ImportResult {
        let document = try RegistryExportDocument.decode(data)
        let now = RegistryTimestamp.now()
        return try await store.transaction { transaction in
            var result = ImportResult(createdArtists: [], updatedArtists: [], clipsAdded: 0, clipsSkipped: 0)
            for (artistIndex, exported) in document.artists.enumerated() {
                let artist = exported.artist
                let place = "artists[\(artistIndex)] (id '\(artist.id)')"
                let name = ArtistName.normalised(artist.name)
                guard ArtistID.isValid(artist.id) else {
                    throw RegistryError.invalidImport(reason: "\(place): \(RegistryError.invalidArtistID(artist.id))")
                }
                guard !name.isEmpty else {
                    throw RegistryError.invalidImport(reason: "\(place): \(RegistryError.invalidArtistName)")
                }
                func timestamp(_ text: String, _ field: String) throws -> String {
                    guard let valid = RegistryTimestamp.normalised(text) else {
                        throw RegistryError.invalidImport(reason: "\(place).\(field): '\(text)' is not an ISO 8601 timestamp")
                    }
                    return valid
                }
                let createdAt = try timestamp(artist.createdAt, "created_at")
                let updatedAt = try timestamp(artist.updatedAt, "updated_at")
                let created: Bool
                do {
                    // A new artist keeps both exported timestamps: the record moved, it did not change.
                    created = try await ClipStorage.ensureArtist(
                        transaction, id: artist.id, name: name, createdAt: createdAt, updatedAt: updatedAt)
                } catch RegistryError.artistNameConflict(let id, let existing, let requested) {
                    // Import has no --id: the way out is renaming one side first.
                    throw RegistryError.invalidImport(reason: "\(place): artist id '\(id)' is enrolled here as '\(existing)', but the "
                        + "export names it '\(requested)'. If they are the same person, give both the same name first "
                        + "(`likeness artists rename \(id) --name ...` here or in the exporting registry); nothing was imported")
                } catch let error as RegistryError {
                    throw RegistryError.invalidImport(reason: "\(place): \(error)")
                }
                // Consent merges as history: the events this registry lacks are appended (never overwriting
                // one), and the state is the newest event of either registry.
                var incoming: [ConsentEvent] = []
                for (eventIndex, event) in artist.storedConsentHistory.enumerated() {
                    let field = artist.consentHistory.isEmpty ? "consent" : "consent_history[\(eventIndex)]"
                    var event = event
                    event.recordedAt = try timestamp(event.recordedAt, "\(field).recorded_at")
                    event.text = event.status == .given ? ConsentMerge.enrolmentText(event.text) : nil
                    guard event.status != .none, event.status == .withdrawn || event.text != nil else {
                        throw RegistryError.invalidImport(reason: "\(place).\(field): a 'given' event needs a statement, and status must be 'given' or 'withdrawn'")
                    }
                    incoming.append(event)
                }
                let localHistory = try await transaction.consentHistory(artistID: artist.id)
                let newEvents = ConsentMerge.importedEvents(local: localHistory, incoming: incoming)
                for event in newEvents {
                    try await transaction.appendConsentEvent(event, artistID: artist.id)
                }
                let consentChanged = ConsentState.of(try await transaction.consentHistory(artistID: artist.id))
                    != ConsentState.of(localHistory)
                var added = 0
                var skipped = 0
                var models = Set<String>()
                for (clipIndex, clip) in exported.clips.enumerated() {
                    let enrolledAt = try timestamp(clip.enrolledAt, "clips[\(clipIndex)].enrolled_at")
                    do {
                        let valid = try ClipValidation.validated(clip.clip)
                        if try await ClipStorage.add(
                            EnrolledClip(clip: valid, enrolledAt: enrolledAt), artistID: artist.id, in: transaction)
                        {
                            added += 1
                            models.insert(valid.modelID)
                        } else {
                            skipped += 1
                        }
                    } catch let error as RegistryError {
                        throw RegistryError.invalidImport(reason: "\(place).clips[\(clipIndex)]: \(error)")
                    }
                }
                if created && exported.clips.isEmpty {
                    throw RegistryError.invalidImport(reason: "\(place) has no clips")
                }
                for model in models.sorted() {
                    try await ClipStorage.refreshVoiceprint(artistID: artist.id, modelID: model, now: now, in: transaction)
                }
                if created {
                    result.createdArtists.append(artist.id)
                } else if added > 0 || !newEvents.isEmpty {
                    try await transaction.setUpdatedAt(now, artistID: artist.id)
                    result.updatedArtists.append(artist.id)
                }
                result.clipsAdded += added
                result.clipsSkipped += skipped
                try await transaction.appendAudit(AuditEvent(
                    kind: .import, artistID: artist.id, toolVersion: toolVersion,
                    parameters: [
                        "format_version": .number(Double(document.version)),
                        "exported_at": .string(document.exportedAt),
                        "source_tool_version": .string(document.toolVersion),
                    ],
                    result: [
                        "artist_created": .bool(created), "clips_added": .number(Double(added)),
                        "clips_skipped": .number(Double(skipped)), "consent_updated": .bool(consentChanged),
                        "consent_events_added": .number(Double(newEvents.count)),
                    ]),
                    timestamp: now)
            }
            return result
        }
    }
}
