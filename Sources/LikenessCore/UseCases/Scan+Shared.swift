import Foundation
import LikenessRegistry
import LikenessScan
import LikenessVoiceprint

/// A scan prepared to analyse files one at a time (a worker of a shared scan): the same artists, scorer,
/// stages and settings as `Scan.run`, without its file list and output.
public struct PreparedScan: Sendable {
    /// The scoring model's id (the rows' `model_id`).
    public let modelID: String
    /// The settings every row records, and their canonical JSON (sorted keys): the result key of a shared scan.
    public let settings: ScanSettings
    public let settingsJSON: String
    public let options: ScanOptions
    let windowed: any WindowedSpeakerEmbedder
    let windowedScorer: ArtistScorer
    let confirmer: Confirmer?
    let synthetic: ScanSyntheticCheck?
    /// Artists searched (for the audit event).
    public let artistsSearched: Int
    public let screenStatement: ScanAudit.ScreenStatement?

    /// A scanner for one thread (scanners are not Sendable: one per worker thread).
    public func makeScanner() -> FileScanner {
        FileScanner(voiceprinter: windowed, scorer: windowedScorer, options: options, confirmer: confirmer, pool: nil,
                    synthetic: synthetic)
    }

    /// The rows of one scanned file, as `scan` writes them.
    public func records(for result: FileResult) -> [ScanRecord] {
        ScanRecord.records(for: result, modelID: modelID, scannedAt: ISO8601DateFormatter().string(from: Date()),
                           settings: settings)
    }
}

extension Scan {
    /// Loads what `run` loads before scanning (the consented artists' index, the scorer, the two stages) and
    /// makes the same checks, for scanning files one at a time elsewhere (`likeness scan-worker`).
    public func prepare(registryName: String) async throws -> PreparedScan {
        let options = request.options
        let modelID = embedder.modelID
        let search = try await registry.searchIndex(modelID: modelID, includeUnconsented: request.includeUnconsented)
        for id in request.artists where search.skippedWithdrawn.contains(id) {
            throw LikenessError.invalidInput("artist \(id) withdrew consent: their voiceprints are not scanned; pass --include-unconsented to scan for them anyway")
        }
        guard search.index.count > 0 else {
            throw LikenessError.notFound("no artists enrolled with model \(modelID) in \(registryName)")
        }
        for id in request.artists where !search.index.artistIDs.contains(id) {
            throw LikenessError.notFound("artist \(id) has no voiceprint for model \(modelID) in \(registryName)")
        }
        let scorer = try ArtistScorer(index: search.index, artists: request.artists.isEmpty ? nil : request.artists,
                                      calibration: scoring.calibration, cohort: scoring.cohort)
        let stages = try await self.stages(scorer: scorer, registryName: registryName)
        try options.validate(calibrated: (stages.confirmer?.scorer ?? stages.windowedScorer).calibration != nil)
        let settings = ScanRunner.settings(options: options, voiceprinter: stages.windowed, scorer: stages.windowedScorer,
                                           confirmer: stages.confirmer, synthetic: synthetic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settingsJSON = String(decoding: try encoder.encode(settings), as: UTF8.self)
        let modelOfRows = stages.confirmer?.embedder.modelID ?? stages.windowed.modelID
        return PreparedScan(
            modelID: modelOfRows, settings: settings, settingsJSON: settingsJSON, options: options, windowed: stages.windowed,
            windowedScorer: stages.windowedScorer, confirmer: stages.confirmer, synthetic: synthetic, artistsSearched: scorer.count,
            screenStatement: stages.confirmer.map { _ in ScanAudit.ScreenStatement(model: stages.windowed.identity, options: options) })
    }
}

/// The scan's HTML summary for rows gathered elsewhere (`likeness scan-export`).
public enum ScanReportWriter {
    public static func write(to path: String, records: [ScanRecord], parameters: [String: String]) throws {
        try ScanSummaryReport.write(to: path, records: records, parameters: parameters)
    }
}
