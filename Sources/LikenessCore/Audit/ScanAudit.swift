import Foundation
import LikenessAudio
import LikenessRegistry
import LikenessScan
import LikenessScoring
import LikenessVoiceprint

/// The `scan` audit event and the scan's method statement.
public enum ScanAudit {
    /// The screen of a two-stage scan, as the audit event records it (the event's `model_id` is the scoring model).
    public struct ScreenStatement: Sendable {
        public let model: ModelIdentity
        public let minScore: Double
        public let pieceSeconds: Double

        public init(model: ModelIdentity, options: ScanOptions) {
            self.model = model
            minScore = options.screenMinScore
            pieceSeconds = options.confirmPieceSeconds
        }

        var json: JSONValue {
            .object(["model_id": .string(model.id), "model_sha256": model.sha256.map { .string($0) } ?? .null,
                     "min_score": .number(minScore), "piece_seconds": .number(pieceSeconds)])
        }
    }

    /// One `scan` event per run: the settings, the output (absolute path, and its SHA-256 and size after this
    /// run, so the file can be tied to the event) and the counts. The scanned files are only counted: their names
    /// often name the artist, and the log cannot be erased.
    /// `screen`: the screening model of a two-stage scan (recorded as parameter `screen`); nil: one model.
    public static func event(request r: ScanRequest, modelID: String, screen: ScreenStatement? = nil, items: Int, artistsSearched: Int,
                             summary: ScanSummary?, hitsByArtist: [String: Int], error: String?) -> AuditEvent {
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        var output: [String: JSONValue] = [
            "path": .string(r.out.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "stdout"),
            "format": .string(r.outputFormat.rawValue),
        ]
        if let out = r.out {
            output["sha256"] = (try? FileHash.sha256Hex(ofFile: out)).map { .string($0) } ?? .null
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? NSNumber)?.doubleValue
            output["bytes"] = number(size)
        }
        var parameters: [String: JSONValue] = [
            "inputs": .number(Double(r.paths.count)),
            "manifests": .number(Double(r.manifests.count)),
            "threshold_log10_lr": number(r.threshold),
            "min_score": number(r.minScore),
            "top": r.threshold == nil && r.minScore == nil ? .number(Double(r.top)) : .null,
            "artists": r.artists.isEmpty ? .null : .array(r.artists.map { .string($0) }),
            "calibration": .string(r.evidence.calibration ?? "none"),
            "cohort": .string(r.evidence.cohort ?? "none"),
            "window": .number(r.window), "hop": .number(r.hop), "segment_over": .number(r.segmentOver),
            "segment_min_score": number(r.segmentMinScore),
            "resume": .bool(r.resume), "force": .bool(r.force),
            "include_unconsented": .bool(r.includeUnconsented),
            "report": r.report.map { .string(URL(fileURLWithPath: $0).standardizedFileURL.path) } ?? .null,
            "output": .object(output),
        ]
        if let screen { parameters["screen"] = screen.json }
        if let shard = r.shard { parameters["shard"] = .string(shard.description) }
        var result: [String: JSONValue] = [
            "files_found": .number(Double(items)),
            "artists_searched": .number(Double(artistsSearched)),
            "hits_by_artist": .object(hitsByArtist.mapValues { .number(Double($0)) }),
        ]
        if let summary {
            result["files_scanned"] = .number(Double(summary.files))
            result["ok"] = .number(Double(summary.ok))
            result["errors"] = .number(Double(summary.errors))
            result["skipped"] = .number(Double(summary.skipped))
            result["ignored"] = .number(Double(summary.ignored))
            result["hits"] = .number(Double(summary.hits))
            result["files_with_hits"] = .number(Double(summary.filesWithHits))
            result["audio_seconds"] = .number(summary.audioSeconds)
            result["wall_seconds"] = .number(summary.wallSeconds)
            if screen != nil { result["confirmed_audio_seconds"] = .number(summary.confirmedAudioSeconds) }
        }
        if let error { result["error"] = .string(error) }
        return AuditEvent(kind: .scan, artistID: r.artists.count == 1 ? r.artists[0] : nil, modelID: modelID,
                          toolVersion: ToolVersion.string, parameters: parameters, result: result)
    }

    /// The scan's method in words, for the provenance and the HTML summary.
    /// `confirmer`/`screen`: a two-stage scan's confirming and screening models (`Confirmer`).
    public static func methodParameters(options: ScanOptions, scoring: ScoringSystem, artistsSearched: Int,
                                        tileSeconds: Double, confirmer: Confirmer? = nil,
                                        screen: (any WindowedSpeakerEmbedder)? = nil) -> [String: String] {
        var p: [String: String] = [
            "score": "cosine of the file's voiceprint with each artist's mean voiceprint",
            "artists searched": "\(artistsSearched)",
            "window": "\(options.windowSeconds) s (\(options.tilesPerWindow(partialSeconds: tileSeconds)) tiles of \(tileSeconds) s), hop \(options.hopSeconds) s, for files over \(options.segmentOverSeconds) s; windows with under \(options.windowMinimumSpeechSeconds) s of speech skipped",
            "long-file voiceprint": "normalised mean of the \(scoring.modelID) embeddings of all tiles (each \(tileSeconds) s tile preprocessed on its own)",
        ]
        switch options.hitRule {
        case .top(let k): p["hits"] = "best \(k) artist(s) per file, plus artists with segments"
        case .minScore(let s): p["hits"] = "every artist with cosine >= \(s), plus artists with segments"
        case .minLog10LR(let l): p["hits"] = "every artist with log10 LR >= \(l), plus artists with segments"
        }
        if let confirmer, let screen {
            let s = screen.identity
            p["screen"] = "\(s.id) (\(s.file ?? "no file"), sha256 \(s.sha256 ?? "none")): windows of files over "
                + "\(options.segmentOverSeconds) s with \(s.id) cosine >= \(options.screenMinScore) are candidates; "
                + "their audio is embedded by \(confirmer.embedder.modelID) in pieces of at most \(options.confirmPieceSeconds) s"
            p["long-file voiceprint"] = "normalised mean of the \(confirmer.embedder.modelID) embeddings of the candidate pieces "
                + "(no candidate: no hit)"
        }
        let unit = confirmer == nil ? "windows" : "\(confirmer!.embedder.modelID) pieces"
        switch confirmer?.rule ?? options.effectiveWindowRule {
        case .minScore(let s): p["segments"] = "\(unit) with cosine >= \(s), merged when they overlap, touch or are at most \(options.segmentGapSeconds) s apart"
        case .minLog10LR(let l): p["segments"] = "\(unit) with log10 LR >= \(l), merged when they overlap, touch or are at most \(options.segmentGapSeconds) s apart"
        }
        p.merge(scoring.provenanceParameters) { $1 }
        return p
    }
}
