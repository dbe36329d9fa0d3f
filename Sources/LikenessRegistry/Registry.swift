import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The persistent artist registry: one SQLite file (WAL mode) holding artists, per-clip embeddings,
/// per-model mean voiceprints and an append-only audit log. Audio is never stored.
///
/// Fault model: every write is one `BEGIN IMMEDIATE` transaction, so a process killed mid-operation
/// leaves the registry as it was, and concurrent writers (threads or processes) queue on SQLite's
/// write lock for up to `Options.busyTimeout` instead of failing or losing data.
///
/// Erasure (`remove`) deletes the artist's clips, vectors, name and consent with `secure_delete` on
/// and then truncates the WAL, so the bytes do not linger in the file. The audit log is append-only
/// and keeps a `remove` row with the plain artist id (so the chain of custody stays linkable); it never
/// contains names, consent text or file names. Choose an opaque `--id` when the name-derived slug would
/// itself identify the person.
public final class Registry: Sendable {
    public struct Options: Sendable {
        /// Seconds a write waits for another connection's write transaction before failing with
        /// SQLITE_BUSY. Default 10.
        public var busyTimeout: TimeInterval
        /// Create a missing registry file (mode 0600) and its directory (mode 0700). Default true;
        /// when false, opening a missing registry throws `RegistryError.registryNotFound`.
        public var createIfMissing: Bool

        public init(busyTimeout: TimeInterval = 10, createIfMissing: Bool = true) {
            self.busyTimeout = busyTimeout
            self.createIfMissing = createIfMissing
        }
    }

    /// Schema version written by this build.
    public static var schemaVersion: Int { RegistrySchema.version }

    public let path: URL
    let database: DatabaseQueue

    public init(path: URL, options: Options = Options()) throws {
        self.path = path
        try Self.createFileIfNeeded(path, create: options.createIfMissing)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "likeness.registry"
        configuration.prepareDatabase { db in
            // Zero deleted content so erased artists do not survive in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            database = try Self.openQueue(path.path, configuration: configuration, patience: options.busyTimeout)
            // GRDB's WAL setup picks synchronous=NORMAL, which can drop the last commits on power loss;
            // audit rows are evidence, so every commit is made durable (a few ms per CLI command).
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.checkCompatible(database, path: path.path)
            try Self.migrate(database)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw RegistryError.notARegistry(path: path.path, reason: "not an SQLite database")
        }
    }

    // MARK: - Opening

    /// Opens the queue, waiting out a concurrent opener: switching a new file to WAL takes an exclusive lock
    /// that SQLite's busy timeout does not cover, so two processes creating the registry at once can see
    /// SQLITE_BUSY here.
    private static func openQueue(_ path: String, configuration: Configuration, patience: TimeInterval) throws -> DatabaseQueue {
        let deadline = Date().addingTimeInterval(patience)
        while true {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private static func createFileIfNeeded(_ url: URL, create: Bool) throws {
        let path = url.path
        if FileManager.default.fileExists(atPath: path) { return }
        guard create else { throw RegistryError.registryNotFound(path: path) }
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RegistryError.fileSystem(path: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
        // Create the file ourselves so it is private from the first byte; SQLite gives the -wal and
        // -shm files the same mode as the database.
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return } // another process created it first
            throw RegistryError.fileSystem(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        // The umask can only remove bits; fchmod makes the mode exactly 0600.
        if fchmod(descriptor, 0o600) != 0 {
            throw RegistryError.fileSystem(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Refuses foreign SQLite files and registries migrated by a newer likeness.
    private static func checkCompatible(_ database: DatabaseQueue, path: String) throws {
        try database.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            // grdb_migrations alone is a registry another process is creating right now: the migrator commits
            // that table before the first migration (which sets application_id) commits.
            let tableCount = try Int.fetchOne(
                db, sql: """
                    SELECT count(*) FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """) ?? 0
            if applicationID != RegistrySchema.applicationID, applicationID != 0 || tableCount > 0 {
                throw RegistryError.notARegistry(path: path, reason: "it is another application's SQLite database")
            }
            let migrator = RegistrySchema.migrator
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(migrator.migrations)
            if userVersion > RegistrySchema.version || !unknown.isEmpty {
                throw RegistryError.newerSchema(
                    path: path, found: max(userVersion, applied.count), supported: RegistrySchema.version)
            }
        }
    }

    private static func migrate(_ database: DatabaseQueue) throws {
        let migrator = RegistrySchema.migrator
        var attempt = 1
        while true {
            do {
                try migrator.migrate(database)
                return
            } catch {
                // Two processes opening a fresh registry can both decide a migration is pending; the
                // loser's CREATE TABLE then fails. If the schema is complete now, nothing is left to do.
                if try database.read({ try migrator.hasCompletedMigrations($0) }) { return }
                if attempt == 3 { throw error }
                attempt += 1
            }
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so the
    /// transaction never fails half-way with an unretryable SQLITE_BUSY on lock upgrade.
    func writeImmediate<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            var value: T?
            try db.inTransaction(.immediate) {
                value = try body(db)
                return .commit
            }
            guard let value else { preconditionFailure("committed transaction without a value") }
            return value
        }
    }

    // MARK: - Enrolment

    /// Enrols `clips` for an artist in one transaction: either every new clip is stored (and the
    /// voiceprint mean recomputed) or nothing changes.
    ///
    /// The id is `artistID` or, when nil, the slug of `name`. An existing id adds clips when the
    /// names agree (case-insensitively) and throws `artistNameConflict` otherwise. Clips the artist
    /// already has (same SHA-256 and model) are skipped and reported. A non-nil `consent` replaces the
    /// stored consent and its timestamp. Each clip writes an `enrol` audit row (no name, no file name).
    public func enroll(
        artistID: String?, name: String, consent: String?, clips: [ClipEnrolment], toolVersion: String
    ) throws -> EnrolmentResult {
        let name = RegistryText.normalisedName(name)
        guard !name.isEmpty else { throw RegistryError.invalidArtistName }
        let id = artistID ?? RegistryText.slug(name)
        guard RegistryText.isValidArtistID(id) else { throw RegistryError.invalidArtistID(id) }
        guard !clips.isEmpty else { throw RegistryError.noClips }
        let consent = consent?.trimmingCharacters(in: .whitespacesAndNewlines)
        let consentText = consent?.isEmpty == false ? consent : nil
        let now = RegistryText.timestamp()

        return try writeImmediate { db in
            let created = try Store.ensureArtist(db, id: id, name: name, createdAt: now, now: now)
            if let consentText {
                try Store.setConsent(db, artistID: id, consent: ConsentRecord(text: consentText, recordedAt: now))
            }
            var added: [String] = []
            var skipped: [String] = []
            var models = Set<String>()
            for clip in clips {
                let valid = try Store.validate(clip)
                let inserted = try Store.insertClip(db, artistID: id, clip: valid, enrolledAt: now)
                if inserted { added.append(valid.sha256); models.insert(valid.modelID) }
                else { skipped.append(valid.sha256) }
                try Store.appendAudit(db, AuditEvent(
                    kind: .enrol, artistID: id, audioSHA256: valid.sha256, modelID: valid.modelID,
                    toolVersion: toolVersion,
                    parameters: [
                        "duration_seconds": .number(valid.durationSeconds),
                        "speech_seconds": .number(valid.speechSeconds),
                        "sample_rate": .number(Double(valid.sampleRate)),
                        "dimension": .number(Double(valid.embedding.count)),
                        "consent_provided": .bool(consentText != nil),
                    ],
                    result: ["status": inserted ? "added" : "skipped_duplicate", "artist_created": .bool(created)]),
                    timestamp: now)
            }
            for model in models.sorted() {
                try Store.refreshVoiceprint(db, artistID: id, modelID: model, now: now)
            }
            if !added.isEmpty || consentText != nil {
                try db.execute(sql: "UPDATE artist SET updated_at = ? WHERE id = ?", arguments: [now, id])
            }
            guard let summary = try Store.summaries(db, id: id).first else {
                throw RegistryError.artistNotFound(id: id)
            }
            return EnrolmentResult(artist: summary, created: created, added: added, skippedDuplicates: skipped)
        }
    }

    // MARK: - Reading

    /// All artists, sorted by id.
    public func artists() throws -> [ArtistSummary] {
        try database.read { db in try Store.summaries(db, id: nil) }
    }

    public func artist(id: String) throws -> ArtistDetail {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT name, consent, consent_recorded_at, created_at, updated_at FROM artist WHERE id = ?
                """, arguments: [id])
            else { throw RegistryError.artistNotFound(id: id) }
            let clips = try Row.fetchAll(db, sql: """
                SELECT sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id, dimension,
                       enrolled_at
                FROM clip WHERE artist_id = ? ORDER BY id
                """, arguments: [id]).map { clip in
                ClipSummary(
                    sha256: clip["sha256"], fileName: clip["file_name"], durationSeconds: clip["duration_seconds"],
                    sampleRate: clip["sample_rate"], speechSeconds: clip["speech_seconds"],
                    modelID: clip["model_id"], dimension: clip["dimension"], enrolledAt: clip["enrolled_at"])
            }
            let consent: ConsentRecord? = (row["consent"] as String?).map {
                ConsentRecord(text: $0, recordedAt: row["consent_recorded_at"] ?? "")
            }
            return ArtistDetail(
                id: id, name: row["name"], consent: consent,
                speechSeconds: clips.reduce(0) { $0 + $1.speechSeconds },
                modelIDs: Set(clips.map(\.modelID)).sorted(),
                createdAt: row["created_at"], updatedAt: row["updated_at"], clips: clips)
        }
    }

    /// Clip count per model id, for every model with at least one enrolled clip.
    public func modelIDs() throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT model_id, count(*) AS n FROM clip GROUP BY model_id") {
                counts[row["model_id"]] = row["n"]
            }
            return counts
        }
    }

    /// Loads every voiceprint of `modelID` (means and clip embeddings) into a contiguous in-memory index.
    public func index(modelID: String) throws -> ArtistIndex {
        try database.read { db in try Store.loadIndex(db, modelID: modelID) }
    }

    // MARK: - Erasure

    /// Erases an artist: clips, embeddings, voiceprints, name and consent. Appends a `remove` audit row
    /// carrying only the id and counts. Returns the summary the artist had before erasure.
    @discardableResult
    public func remove(id: String, toolVersion: String) throws -> ArtistSummary {
        let now = RegistryText.timestamp()
        let removed = try writeImmediate { db -> ArtistSummary in
            guard let summary = try Store.summaries(db, id: id).first else {
                throw RegistryError.artistNotFound(id: id)
            }
            try db.execute(sql: "DELETE FROM voiceprint WHERE artist_id = ?", arguments: [id])
            let voiceprints = db.changesCount
            try db.execute(sql: "DELETE FROM clip WHERE artist_id = ?", arguments: [id])
            let clips = db.changesCount
            try db.execute(sql: "DELETE FROM artist WHERE id = ?", arguments: [id])
            try Store.appendAudit(db, AuditEvent(
                kind: .remove, artistID: id, toolVersion: toolVersion,
                result: ["clips_removed": .number(Double(clips)), "voiceprints_removed": .number(Double(voiceprints))]),
                timestamp: now)
            return summary
        }
        // Copy the zeroed pages into the database file and empty the WAL, which still holds the old
        // page images. Best effort: a concurrent reader can keep the WAL alive until it finishes.
        _ = try? database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        return removed
    }

    // MARK: - Audit

    /// Appends an event (typically `compare` or `identify`, which the registry does not compute itself).
    /// The registry stamps the UTC time and sequence number.
    public func recordAudit(_ event: AuditEvent) throws {
        let now = RegistryText.timestamp()
        try writeImmediate { db in try Store.appendAudit(db, event, timestamp: now) }
    }

    /// Audit rows in insertion order, optionally only those of one artist id.
    public func auditEvents(artistID: String? = nil) throws -> [AuditRecord] {
        try database.read { db in
            let rows: [Row]
            if let artistID {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE artist_id = ? ORDER BY seq", arguments: [artistID])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq")
            }
            return try rows.map { row in
                let kindText: String = row["event"]
                // The CHECK constraint admits only known kinds; anything else means a damaged file.
                guard let kind = AuditEvent.Kind(rawValue: kindText) else {
                    throw RegistryError.notARegistry(path: path.path, reason: "audit row has unknown event '\(kindText)'")
                }
                return AuditRecord(
                    sequence: row["seq"], timestamp: row["timestamp"],
                    event: AuditEvent(
                        kind: kind, artistID: row["artist_id"], audioSHA256: row["audio_sha256"],
                        modelID: row["model_id"], toolVersion: row["tool_version"],
                        parameters: Store.jsonObject(row["parameters"]), result: Store.jsonObject(row["result"])))
            }
        }
    }
}
