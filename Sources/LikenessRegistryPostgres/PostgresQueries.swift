import Foundation
import LikenessRegistry
import PostgresNIO

/// The SQL of the PostgreSQL store, run on one connection: inside a read-only snapshot for the store's reads,
/// inside the locked write transaction for `PostgresTransaction`. Mirrors `SQLiteQueries` statement by statement.
struct PostgresQueries: Sendable {
    let connection: PostgresConnection
    /// The redacted location, for messages.
    let location: String

    private var logger: Logger { PostgresConnector.logger }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try checkOpen()
        return try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    func run(_ query: PostgresQuery) async throws {
        try checkOpen()
        try await connection.query(query, logger: logger)
    }

    /// Runs `statements` (`CREATE ... IF NOT EXISTS`) in one transaction under the advisory lock `lock`, so two
    /// first users of a table (the scan queue's, the API tokens') do not race to create it.
    func createIfMissing(_ statements: [String], lock: Int64) async throws {
        try await run("BEGIN")
        do {
            try await run("SELECT pg_advisory_xact_lock(\(lock))")
            for statement in statements { try await run(PostgresQuery(unsafeSQL: statement)) }
            try await run("COMMIT")
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }

    /// A connection the server closed (its backend was terminated, the server restarted) fails at once.
    private func checkOpen() throws {
        if connection.isClosed {
            throw PostgresRegistryError.connection(location: location, reason: "the server closed the connection")
        }
    }

    // MARK: - Artists and consent

    func artist(id: String) async throws -> ArtistRecord? {
        guard let row = try await rows("SELECT id, name, created_at, updated_at FROM artist WHERE id = \(id)").first else { return nil }
        return try artistRecord(row, history: try await consentHistory(artistID: id))
    }

    func artistRecord(_ row: PostgresRandomAccessRow, history: [ConsentEvent]) throws -> ArtistRecord {
        var record = ArtistRecord(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), consent: nil,
            createdAt: try row["created_at"].decode(String.self), updatedAt: try row["updated_at"].decode(String.self),
            consentHistory: history)
        record.consent = record.consentState.record
        return record
    }

    func consentHistory(artistID: String) async throws -> [ConsentEvent] {
        try await rows("""
            SELECT status, text, recorded_at FROM consent_event WHERE artist_id = \(artistID) ORDER BY recorded_at, seq
            """).map(consentEvent)
    }

    func consentHistories() async throws -> [String: [ConsentEvent]] {
        var histories: [String: [ConsentEvent]] = [:]
        for row in try await rows("SELECT artist_id, status, text, recorded_at FROM consent_event ORDER BY artist_id, recorded_at, seq") {
            histories[try row["artist_id"].decode(String.self), default: []].append(try consentEvent(row))
        }
        return histories
    }

    func consentEvent(_ row: PostgresRandomAccessRow) throws -> ConsentEvent {
        // The CHECK constraint admits only 'given' and 'withdrawn'.
        ConsentEvent(status: ConsentStatus(rawValue: try row["status"].decode(String.self)) ?? .withdrawn,
                     text: try row["text"].decode(String?.self), recordedAt: try row["recorded_at"].decode(String.self))
    }

    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws {
        let text = event.status == .given ? event.text : nil
        try await run("""
            INSERT INTO consent_event (artist_id, status, text, recorded_at)
            VALUES (\(artistID), \(event.status.rawValue), \(text), \(event.recordedAt))
            """)
    }

    /// Summaries sorted by id; one artist when `id` is given. A clip enrolled with several models is one
    /// recording, counted once (ClipStorage.recordings).
    func summaries(id: String?) async throws -> [ArtistSummary] {
        var models: [String: [String]] = [:]
        for row in try await rows("""
            SELECT DISTINCT artist_id, model_id FROM clip WHERE \(id)::text IS NULL OR artist_id = \(id) ORDER BY artist_id, model_id
            """) {
            models[try row["artist_id"].decode(String.self), default: []].append(try row["model_id"].decode(String.self))
        }
        let histories: [String: [ConsentEvent]] = if let id { [id: try await consentHistory(artistID: id)] } else { try await consentHistories() }
        return try await rows("""
            SELECT a.id, a.name, a.created_at, a.updated_at,
                   count(c.sha256)::bigint AS clips, coalesce(sum(c.speech_seconds), 0.0)::double precision AS speech
            FROM artist a LEFT JOIN (
                SELECT artist_id, sha256, max(speech_seconds) AS speech_seconds FROM clip GROUP BY artist_id, sha256
            ) c ON c.artist_id = a.id
            WHERE \(id)::text IS NULL OR a.id = \(id)
            GROUP BY a.id ORDER BY a.id
            """).map { row in
            let artist = try row["id"].decode(String.self)
            let consent = ConsentState.of(histories[artist] ?? [])
            return ArtistSummary(
                id: artist, name: try row["name"].decode(String.self), clips: try row["clips"].decode(Int.self),
                speechSeconds: try row["speech"].decode(Double.self), modelIDs: models[artist] ?? [],
                hasConsent: consent.status == .given, createdAt: try row["created_at"].decode(String.self),
                updatedAt: try row["updated_at"].decode(String.self), consentState: consent)
        }
    }

    func detail(id: String) async throws -> ArtistDetail? {
        guard let record = try await artist(id: id) else { return nil }
        let clips = try await rows("""
            SELECT sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id, dimension, enrolled_at
            FROM clip WHERE artist_id = \(id) ORDER BY id
            """).map { clip in
            ClipSummary(
                sha256: try clip["sha256"].decode(String.self), fileName: try clip["file_name"].decode(String.self),
                durationSeconds: try clip["duration_seconds"].decode(Double.self),
                sampleRate: try clip["sample_rate"].decode(Int.self), speechSeconds: try clip["speech_seconds"].decode(Double.self),
                modelID: try clip["model_id"].decode(String.self), dimension: try clip["dimension"].decode(Int.self),
                enrolledAt: try clip["enrolled_at"].decode(String.self))
        }
        return ArtistDetail(record: record, clips: clips)
    }

    func clipCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await rows("SELECT model_id, count(*)::bigint AS n FROM clip GROUP BY model_id") {
            counts[try row["model_id"].decode(String.self)] = try row["n"].decode(Int.self)
        }
        return counts
    }

    // MARK: - Clips and voiceprints

    func embedding(_ row: PostgresRandomAccessRow, column: String, sha256: String, what: String = "embedding") throws -> [Float] {
        guard let vector = EmbeddingBytes.decode(try row[column].decode(ByteBuffer.self), dimension: try row["dimension"].decode(Int.self)) else {
            throw RegistryError.invalidClip(sha256: sha256, reason: "stored \(what) has the wrong length")
        }
        return vector
    }

    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip] {
        try await rows("""
            SELECT sha256, dimension, embedding FROM clip WHERE artist_id = \(artistID) AND model_id = \(modelID) ORDER BY id
            """).map { row in
            let sha = try row["sha256"].decode(String.self)
            return StoredVoiceprint.Clip(sha256: sha, embedding: try embedding(row, column: "embedding", sha256: sha))
        }
    }

    /// Voiceprints of a model with their clips, artists in id order, clips in enrolment order; one artist
    /// when `artistID` is given. Rows are decoded as they stream in.
    func voiceprints(modelID: String, artistID: String? = nil) async throws -> [StoredVoiceprint] {
        let stream = try await connection.query("""
            SELECT c.artist_id, a.name, v.dimension, v.mean, c.sha256, c.embedding
            FROM clip c
            JOIN voiceprint v ON v.artist_id = c.artist_id AND v.model_id = c.model_id
            JOIN artist a ON a.id = c.artist_id
            WHERE c.model_id = \(modelID) AND (\(artistID)::text IS NULL OR c.artist_id = \(artistID))
            ORDER BY c.artist_id, c.id
            """, logger: logger)
        var voiceprints: [StoredVoiceprint] = []
        for try await raw in stream {
            let row = raw.makeRandomAccess()
            let id = try row["artist_id"].decode(String.self)
            let sha = try row["sha256"].decode(String.self)
            if voiceprints.last?.artistID != id {
                voiceprints.append(StoredVoiceprint(
                    artistID: id, name: try row["name"].decode(String.self), modelID: modelID,
                    mean: try embedding(row, column: "mean", sha256: sha, what: "voiceprint"), clips: []))
            }
            voiceprints[voiceprints.count - 1].clips.append(
                StoredVoiceprint.Clip(sha256: sha, embedding: try embedding(row, column: "embedding", sha256: sha)))
        }
        return voiceprints
    }

    func exportedArtists() async throws -> [ExportedArtist] {
        var clipsByArtist: [String: [EnrolledClip]] = [:]
        for row in try await rows("""
            SELECT artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id,
                   dimension, embedding, enrolled_at
            FROM clip ORDER BY id
            """) {
            let sha = try row["sha256"].decode(String.self)
            clipsByArtist[try row["artist_id"].decode(String.self), default: []].append(EnrolledClip(
                clip: ClipEnrolment(
                    sha256: sha, fileName: try row["file_name"].decode(String.self),
                    durationSeconds: try row["duration_seconds"].decode(Double.self),
                    sampleRate: try row["sample_rate"].decode(Int.self),
                    speechSeconds: try row["speech_seconds"].decode(Double.self), modelID: try row["model_id"].decode(String.self),
                    embedding: try embedding(row, column: "embedding", sha256: sha)),
                enrolledAt: try row["enrolled_at"].decode(String.self)))
        }
        let histories = try await consentHistories()
        return try await rows("SELECT id, name, created_at, updated_at FROM artist ORDER BY id").map { row in
            let record = try artistRecord(row, history: histories[try row["id"].decode(String.self)] ?? [])
            return ExportedArtist(artist: record, clips: clipsByArtist[record.id] ?? [])
        }
    }

    // MARK: - Audit

    static let auditColumns = """
        seq, timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result, nonce, digest, chain, redacted_by
        """

    func auditEvents(artistID: String?) async throws -> [AuditRecord] {
        try await rows(PostgresQuery(unsafeSQL: """
            SELECT \(Self.auditColumns) FROM audit WHERE $1::text IS NULL OR artist_id = $1 ORDER BY seq
            """, binds: binds(artistID))).map(auditRecord)
    }

    private func binds(_ values: String?...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { if let value { bindings.append(value) } else { bindings.appendNull() } }
        return bindings
    }

    func auditRecord(_ row: PostgresRandomAccessRow) throws -> AuditRecord {
        let chained = try chainRow(row)
        guard let kind = AuditEvent.Kind(rawValue: chained.kind) else {
            throw RegistryError.damagedStorage(location: location, reason: "audit event \(chained.sequence) has unknown kind '\(chained.kind)'")
        }
        return AuditRecord(
            sequence: chained.sequence, timestamp: chained.timestamp,
            event: AuditEvent(
                kind: kind, artistID: chained.artistID, audioSHA256: chained.audioSHA256, modelID: chained.modelID,
                toolVersion: chained.toolVersion, parameters: JSONValue.object(jsonText: chained.parametersJSON),
                result: JSONValue.object(jsonText: chained.resultJSON)),
            seal: chained.seal)
    }

    func chainRow(_ row: PostgresRandomAccessRow) throws -> AuditChain.Row {
        AuditChain.Row(
            sequence: try row["seq"].decode(Int64.self), timestamp: try row["timestamp"].decode(String.self),
            kind: try row["event"].decode(String.self), artistID: try row["artist_id"].decode(String?.self),
            audioSHA256: try row["audio_sha256"].decode(String?.self), modelID: try row["model_id"].decode(String?.self),
            toolVersion: try row["tool_version"].decode(String.self), parametersJSON: try row["parameters"].decode(String.self),
            resultJSON: try row["result"].decode(String.self),
            seal: AuditSeal(nonce: try row["nonce"].decode(String.self), digest: try row["digest"].decode(String.self),
                            chain: try row["chain"].decode(String.self), redactedBy: try row["redacted_by"].decode(Int64?.self)))
    }

    func auditChain() async throws -> AuditChain.Snapshot {
        let rows = try await rows(PostgresQuery(unsafeSQL: "SELECT \(Self.auditColumns) FROM audit ORDER BY seq")).map(chainRow)
        return AuditChain.Snapshot(rows: rows, highestIssued: try await highestIssued())
    }

    func highestIssued() async throws -> Int64 {
        try await rows("SELECT audit_issued FROM registry_state WHERE id = 1").first?["audit_issued"].decode(Int64.self) ?? 0
    }

    /// `registry_state.data_revision` (see the schema).
    func dataRevision() async throws -> Int64 {
        try await rows("SELECT data_revision FROM registry_state WHERE id = 1").first?["data_revision"].decode(Int64.self) ?? 0
    }

    func auditHead() async throws -> AuditHead? {
        guard let row = try await rows("SELECT seq, chain FROM audit ORDER BY seq DESC LIMIT 1").first else { return nil }
        return AuditHead(sequence: try row["seq"].decode(Int64.self), chain: try row["chain"].decode(String.self))
    }

    /// The log's end links to the event before it and nothing after it was deleted (as `SQLiteQueries`).
    func auditTailProblem() async throws -> String? {
        let last = try await rows("SELECT seq, digest, chain FROM audit ORDER BY seq DESC LIMIT 2")
        let issued = try await highestIssued()
        guard let newest = last.first else {
            return issued > 0 ? "its audit log is empty, but \(issued) event(s) were written: they were deleted" : nil
        }
        let sequence = try newest["seq"].decode(Int64.self)
        if issued > sequence { return "audit events \(sequence + 1)–\(issued) were deleted from the end of the log" }
        if last.count > 1, try last[1]["seq"].decode(Int64.self) != sequence - 1 { return "audit event \(sequence - 1) was deleted" }
        let previous = last.count > 1 ? try last[1]["chain"].decode(String.self) : AuditChain.genesis
        if AuditChain.link(previous: previous, digest: try newest["digest"].decode(String.self)) != (try newest["chain"].decode(String.self)) {
            return "the last audit event (\(sequence)) does not follow the one before it: the log was edited"
        }
        return nil
    }

    func nextAuditSequence() async throws -> Int64 {
        let maximum = try await rows("SELECT coalesce(max(seq), 0)::bigint AS m FROM audit").first?["m"].decode(Int64.self) ?? 0
        return max(try await highestIssued(), maximum) + 1
    }

    func appendAudit(_ event: AuditEvent, timestamp: String) async throws {
        if let problem = try await auditTailProblem() { throw RegistryError.damagedStorage(location: location, reason: problem) }
        let previous = try await auditHead()?.chain ?? AuditChain.genesis
        let row = try AuditChain.Row(sequence: try await nextAuditSequence(), timestamp: timestamp, event: event)
        let seal = AuditChain.seal(row, previous: previous)
        try await run("""
            INSERT INTO audit (seq, timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result,
                               nonce, digest, chain, redacted_by)
            VALUES (\(row.sequence), \(row.timestamp), \(row.kind), \(row.artistID), \(row.audioSHA256), \(row.modelID),
                    \(row.toolVersion), \(row.parametersJSON), \(row.resultJSON), \(seal.nonce), \(seal.digest), \(seal.chain),
                    \(seal.redactedBy))
            """)
        try await run("UPDATE registry_state SET audit_issued = greatest(audit_issued, \(row.sequence)) WHERE id = 1")
    }

    func auditRecords(involving artistID: String) async throws -> [AuditRecord] {
        try await rows(PostgresQuery(unsafeSQL: """
            SELECT \(Self.auditColumns) FROM audit WHERE artist_id = $1 OR event IN ('identify', 'scan') ORDER BY seq
            """, binds: binds(artistID))).map(auditRecord)
    }

    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String {
        guard let found = try await rows("SELECT timestamp FROM audit WHERE seq = \(sequence)").first else {
            throw RegistryError.damagedStorage(location: location, reason: "audit event \(sequence) vanished during an erasure")
        }
        let row = try AuditChain.Row(sequence: sequence, timestamp: try found["timestamp"].decode(String.self), event: event)
        let nonce = AuditChain.newNonce()
        try await run("""
            UPDATE audit SET artist_id = \(row.artistID), audio_sha256 = \(row.audioSHA256), model_id = \(row.modelID),
                             tool_version = \(row.toolVersion), parameters = \(row.parametersJSON), result = \(row.resultJSON),
                             nonce = \(nonce), redacted_by = \(redactedBy)
            WHERE seq = \(sequence)
            """)
        return row.digest(nonce: nonce)
    }
}

/// Embeddings as little-endian IEEE-754 float32 bytes, `dimension` values, no header: the SQLite store's
/// layout, so an export or a copy between stores keeps every bit.
enum EmbeddingBytes {
    static func encode(_ vector: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(vector.count * 4)
        for value in vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

    static func decode(_ buffer: ByteBuffer, dimension: Int) -> [Float]? {
        guard dimension > 0, buffer.readableBytes == dimension * 4 else { return nil }
        var buffer = buffer
        var vector = [Float]()
        vector.reserveCapacity(dimension)
        while let bits = buffer.readInteger(endianness: .little, as: UInt32.self) { vector.append(Float(bitPattern: bits)) }
        return vector
    }
}
