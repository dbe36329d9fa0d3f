import Foundation
import LikenessAudio
import LikenessVoiceprint

/// The second stage of a long recording in a two-stage scan (see `Confirmer`): decodes the file again,
/// keeps only the samples of the candidate pieces, embeds each piece with the confirming model, and scores
/// it against the piece's candidate artists.
///
/// Why a second decode rather than keeping audio from the screen: the screen learns which windows are
/// candidates only when their encoder batch returns, up to two batches (about 13 minutes of audio at the
/// default hop) after the audio went by; keeping that much audio per worker would undo the scan's bounded
/// memory. Decoding again (`RangeReader`) costs a fraction of the embedding and holds only the pieces of the
/// jobs in flight; decoding stops after the last piece.
///
/// Pieces are embedded `piecesPerJob` at a time (`SpeakerEmbedder.embedEach`: GE2E, alone or in a fusion, runs
/// their windows as one batch, which for 2 s pieces is several times cheaper than one piece at a time), through
/// the `EncoderPool` (up to `maxInFlight` jobs at once), so idle workers help with a long recording, and scored
/// in time order; a piece with too little speech for the model is skipped.
/// Not Sendable: one per file.
final class ConfirmPass {
    struct Outcome {
        /// Normalised mean of the embedded pieces' embeddings; nil when no piece could be embedded.
        var embedding: [Float]?
        var segments: [String: [ScanSegment]]
        var pieces: Int
        var embeddedPieces: Int
    }

    private let confirmer: Confirmer
    private let preprocess: Bool
    private let pool: EncoderPool?
    private var merger: SegmentMerger
    private var sum: [Float]
    private var embedded = 0
    private var pending: [(piece: CandidatePiece, samples: [Float])] = []
    private var inFlight: [(job: EncoderPool.Job?, pieces: [CandidatePiece], embeddings: [[Float]]?)] = []
    /// Pieces are short (2 s by default): 16 per job and 4 jobs in flight hold about 8 MB of audio, keep helpers
    /// busy, and give GE2E batches of about 32 windows.
    private static let piecesPerJob = 16
    private static let maxInFlight = 4

    init(confirmer: Confirmer, options: ScanOptions, pool: EncoderPool?) {
        self.confirmer = confirmer
        preprocess = options.preprocess
        self.pool = pool
        merger = SegmentMerger(maxGap: options.segmentGapSeconds)
        sum = [Float](repeating: 0, count: confirmer.embedder.dimension)
    }

    /// Confirms `pieces` (in time order, not overlapping) of the file at `path`.
    func run(path: String, pieces: [CandidatePiece]) throws -> Outcome {
        // Pieces come in order; a file that decoded shorter this time (it changed) ends its last piece early.
        var next = 0
        try RangeReader.read(path: path, ranges: pieces.map(\.range)) { samples in
            pending.append((pieces[next], samples))
            next += 1
            if pending.count == Self.piecesPerJob { submitPending() }
        }
        submitPending()
        drain(keeping: 0)
        return Outcome(embedding: embedded > 0 ? VectorMath.l2Normalized(sum) : nil, segments: merger.finish(),
                       pieces: pieces.count, embeddedPieces: embedded)
    }

    private func submitPending() {
        guard !pending.isEmpty else { return }
        let embedder = confirmer.embedder, preprocess = self.preprocess
        let clips = pending.map(\.samples), batch = pending.map(\.piece)
        pending = []
        // Too little speech (or audio too short for the model's features): an empty embedding, the piece is skipped.
        let work: @Sendable () -> [[Float]] = {
            embedder.embedEach(clips, preprocess: preprocess).map { $0?.embedding ?? [] }
        }
        if let pool {
            inFlight.append((pool.submit(work), batch, nil))
            drain(keeping: Self.maxInFlight)
        } else {
            inFlight.append((nil, batch, work()))
            drain(keeping: 0)
        }
    }

    /// Scores finished pieces, oldest first, until at most `keeping` are in flight.
    private func drain(keeping: Int) {
        while inFlight.count > keeping {
            let item = inFlight.removeFirst()
            let embeddings = item.embeddings ?? pool!.result(of: item.job!, own: inFlight.compactMap(\.job))
            for (piece, embedding) in zip(item.pieces, embeddings) where !embedding.isEmpty {
                embedded += 1
                for i in sum.indices { sum[i] += embedding[i] }
                score(piece, embedding: embedding)
            }
        }
    }

    private func score(_ piece: CandidatePiece, embedding: [Float]) {
        let rate = Double(FileScanner.sampleRate)
        let start = Double(piece.range.lowerBound) / rate, end = Double(piece.range.upperBound) / rate
        merger.advance(to: start)
        // Only the artists the screen flagged here: both models must agree before a segment is reported.
        let rows = piece.artists.compactMap(confirmer.row(of:))
        guard !rows.isEmpty else { return }
        for mark in confirmer.scorer.marks(embedding, rule: confirmer.rule, rows: rows, start: start, end: end) {
            merger.add(mark)
        }
    }
}
