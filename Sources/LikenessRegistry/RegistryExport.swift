import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Portable JSON form of a registry (format `likeness-registry`, version 1):
///
///     {"format":"likeness-registry","version":1,"exported_at":"…","tool_version":"…",
///      "artists":[{"id":…,"name":…,"consent":{"text":…,"recorded_at":…}|null,"created_at":…,"updated_at":…,
///                  "clips":[{"sha256":…,"file_name":…,"duration_seconds":…,"sample_rate":…,
///                            "speech_seconds":…,"model_id":…,"enrolled_at":…,"embedding":[…]}]}]}
///
/// Embeddings are unit-length float32 values written with the shortest decimal form that reads back
/// to the same float. Mean voiceprints are not exported: import recomputes them. The audit log stays
/// with its registry; import appends its own `import` events.
struct RegistryExportDocument: Codable {
    static let format = "likeness-registry"
    static let version = 1

    var format: String
    var version: Int
    var exportedAt: String
    var toolVersion: String
    var artists: [Artist]

    struct Artist: Codable {
        var id: String
        var name: String
        var consent: ConsentRecord?
        var createdAt: String
        var updatedAt: String
        var clips: [Clip]

        enum CodingKeys: String, CodingKey {
            case id, name, consent, clips
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    struct Clip: Codable {
        var sha256: String
        var fileName: String
        var durationSeconds: Double
        var sampleRate: Int
        var speechSeconds: Double
        var modelID: String
        var enrolledAt: String
        var embedding: [Float]

        enum CodingKeys: String, CodingKey {
            case sha256, embedding
            case fileName = "file_name"
            case durationSeconds = "duration_seconds"
            case sampleRate = "sample_rate"
            case speechSeconds = "speech_seconds"
            case modelID = "model_id"
            case enrolledAt = "enrolled_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, artists
        case exportedAt = "exported_at"
        case toolVersion = "tool_version"
    }

    /// Just enough to reject foreign or newer files before decoding the rest.
    struct Header: Decodable {
        var format: String?
        var version: Int?
    }
}

extension Registry {
    // MARK: - Export

    /// The whole registry (one consistent snapshot) as export JSON; appends an `export` audit row.
    public func exportData(toolVersion: String) throws -> Data {
        let document = try database.read { db in try Self.exportDocument(db, toolVersion: toolVersion) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document)
        try recordAudit(AuditEvent(
            kind: .export, toolVersion: toolVersion,
            parameters: ["format_version": .number(Double(RegistryExportDocument.version))],
            result: [
                "artists": .number(Double(document.artists.count)),
                "clips": .number(Double(document.artists.reduce(0) { $0 + $1.clips.count })),
            ]))
        return data
    }

    /// Writes the export to `url` atomically with mode 0600 (it holds consent text and voiceprints).
    public func export(to url: URL, toolVersion: String) throws {
        try Self.writePrivateFile(try exportData(toolVersion: toolVersion), to: url)
    }

    private static func exportDocument(_ db: Database, toolVersion: String) throws -> RegistryExportDocument {
        var clipsByArtist: [String: [RegistryExportDocument.Clip]] = [:]
        let clipRows = try Row.fetchCursor(db, sql: """
            SELECT artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id,
                   dimension, embedding, enrolled_at
            FROM clip ORDER BY id
            """) // rowid order: enrolment order within each artist, without sorting the blobs
        while let row = try clipRows.next() {
            let sha: String = row["sha256"]
            guard let embedding = EmbeddingCodec.decode(row["embedding"], dimension: row["dimension"]) else {
                throw RegistryError.invalidClip(sha256: sha, reason: "stored embedding has the wrong length")
            }
            clipsByArtist[row["artist_id"], default: []].append(RegistryExportDocument.Clip(
                sha256: sha, fileName: row["file_name"], durationSeconds: row["duration_seconds"],
                sampleRate: row["sample_rate"], speechSeconds: row["speech_seconds"], modelID: row["model_id"],
                enrolledAt: row["enrolled_at"], embedding: embedding))
        }
        let artists = try Row.fetchAll(db, sql: """
            SELECT id, name, consent, consent_recorded_at, created_at, updated_at FROM artist ORDER BY id
            """).map { row in
            let id: String = row["id"]
            return RegistryExportDocument.Artist(
                id: id, name: row["name"],
                consent: (row["consent"] as String?).map { ConsentRecord(text: $0, recordedAt: row["consent_recorded_at"] ?? "") },
                createdAt: row["created_at"], updatedAt: row["updated_at"], clips: clipsByArtist[id] ?? [])
        }
        return RegistryExportDocument(
            format: RegistryExportDocument.format, version: RegistryExportDocument.version,
            exportedAt: RegistryText.timestamp(), toolVersion: toolVersion, artists: artists)
    }

    /// Temp file in the destination directory created 0600, fsynced, then renamed over `url`, so a
    /// reader never sees a partial export and the data is never world-readable.
    static func writePrivateFile(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RegistryError.fileSystem(path: url.path, reason: String(cString: strerror(errno)))
        }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw RegistryError.fileSystem(path: url.path, reason: failure)
        }
    }

    // MARK: - Import

    /// Merges an export file into this registry in one transaction (all or nothing).
    public func importRegistry(from url: URL, toolVersion: String) throws -> ImportResult {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RegistryError.invalidImport(reason: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try importRegistry(data: data, toolVersion: toolVersion)
    }

    /// Merges export JSON: new artists are created with their exported timestamps; existing artists
    /// (same id and name) receive the clips they lack (same artist, SHA-256 and model are skipped);
    /// consent is taken from the export when missing here or recorded later there. Every clip is
    /// validated like an enrolment. Appends one `import` audit row per artist touched.
    public func importRegistry(data: Data, toolVersion: String) throws -> ImportResult {
        let document = try Self.decodeExport(data)
        let now = RegistryText.timestamp()
        return try writeImmediate { db in
            var result = ImportResult(createdArtists: [], updatedArtists: [], clipsAdded: 0, clipsSkipped: 0)
            for (artistIndex, artist) in document.artists.enumerated() {
                let place = "artists[\(artistIndex)] (id '\(artist.id)')"
                let name = RegistryText.normalisedName(artist.name)
                guard RegistryText.isValidArtistID(artist.id) else {
                    throw RegistryError.invalidImport(reason: "\(place): \(RegistryError.invalidArtistID(artist.id))")
                }
                guard !name.isEmpty else {
                    throw RegistryError.invalidImport(reason: "\(place): \(RegistryError.invalidArtistName)")
                }
                func timestamp(_ text: String, _ field: String) throws -> String {
                    guard let valid = RegistryText.normalisedTimestamp(text) else {
                        throw RegistryError.invalidImport(reason: "\(place).\(field): '\(text)' is not an ISO 8601 timestamp")
                    }
                    return valid
                }
                let createdAt = try timestamp(artist.createdAt, "created_at")
                let updatedAt = try timestamp(artist.updatedAt, "updated_at")
                let created: Bool
                do {
                    // A new artist keeps both exported timestamps: the record moved, it did not change.
                    created = try Store.ensureArtist(
                        db, id: artist.id, name: name, createdAt: createdAt, now: updatedAt)
                } catch let error as RegistryError {
                    throw RegistryError.invalidImport(reason: "\(place): \(error)")
                }
                var consentChanged = false
                if var consent = artist.consent {
                    consent.recordedAt = try timestamp(consent.recordedAt, "consent.recorded_at")
                    let local = try String.fetchOne(
                        db, sql: "SELECT consent_recorded_at FROM artist WHERE id = ? AND consent IS NOT NULL",
                        arguments: [artist.id])
                    if local.map({ consent.recordedAt > $0 }) ?? true {
                        try Store.setConsent(db, artistID: artist.id, consent: consent)
                        consentChanged = true
                    }
                }
                var added = 0
                var skipped = 0
                var models = Set<String>()
                for (clipIndex, clip) in artist.clips.enumerated() {
                    let enrolledAt = try timestamp(clip.enrolledAt, "clips[\(clipIndex)].enrolled_at")
                    do {
                        let valid = try Store.validate(ClipEnrolment(
                            sha256: clip.sha256, fileName: clip.fileName, durationSeconds: clip.durationSeconds,
                            sampleRate: clip.sampleRate, speechSeconds: clip.speechSeconds, modelID: clip.modelID,
                            embedding: clip.embedding))
                        if try Store.insertClip(db, artistID: artist.id, clip: valid, enrolledAt: enrolledAt) {
                            added += 1
                            models.insert(valid.modelID)
                        } else {
                            skipped += 1
                        }
                    } catch let error as RegistryError {
                        throw RegistryError.invalidImport(reason: "\(place).clips[\(clipIndex)]: \(error)")
                    }
                }
                if created && artist.clips.isEmpty {
                    throw RegistryError.invalidImport(reason: "\(place) has no clips")
                }
                for model in models.sorted() {
                    try Store.refreshVoiceprint(db, artistID: artist.id, modelID: model, now: now)
                }
                if created {
                    result.createdArtists.append(artist.id)
                } else if added > 0 || consentChanged {
                    try db.execute(sql: "UPDATE artist SET updated_at = ? WHERE id = ?", arguments: [now, artist.id])
                    result.updatedArtists.append(artist.id)
                }
                result.clipsAdded += added
                result.clipsSkipped += skipped
                try Store.appendAudit(db, AuditEvent(
                    kind: .import, artistID: artist.id, toolVersion: toolVersion,
                    parameters: [
                        "format_version": .number(Double(document.version)),
                        "exported_at": .string(document.exportedAt),
                        "source_tool_version": .string(document.toolVersion),
                    ],
                    result: [
                        "artist_created": .bool(created), "clips_added": .number(Double(added)),
                        "clips_skipped": .number(Double(skipped)), "consent_updated": .bool(consentChanged),
                    ]),
                    timestamp: now)
            }
            return result
        }
    }

    private static func decodeExport(_ data: Data) throws -> RegistryExportDocument {
        let decoder = JSONDecoder()
        let header: RegistryExportDocument.Header
        do { header = try decoder.decode(RegistryExportDocument.Header.self, from: data) } catch {
            throw RegistryError.invalidImport(reason: "not a JSON object (\(describe(error)))")
        }
        guard header.format == RegistryExportDocument.format else {
            throw RegistryError.invalidImport(
                reason: "not a likeness registry export (format is \(header.format.map { "'\($0)'" } ?? "missing"))")
        }
        guard let version = header.version else { throw RegistryError.invalidImport(reason: "missing 'version'") }
        guard version <= RegistryExportDocument.version else {
            throw RegistryError.invalidImport(
                reason: "export version \(version) is newer than supported \(RegistryExportDocument.version); upgrade likeness")
        }
        guard version >= 1 else { throw RegistryError.invalidImport(reason: "invalid export version \(version)") }
        do { return try decoder.decode(RegistryExportDocument.self, from: data) } catch {
            throw RegistryError.invalidImport(reason: describe(error))
        }
    }

    /// "artists[2].clips[0].embedding: expected Array<Float>" rather than Foundation's debug dump.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): null where \(type) is required"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
