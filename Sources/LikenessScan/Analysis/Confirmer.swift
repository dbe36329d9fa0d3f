import Foundation
import LikenessVoiceprint

/// The confirming model of a two-stage scan, with what it scores against: any `SpeakerEmbedder` (CAM++, a
/// fusion of models, ...) that cannot embed a long recording tile by tile, so that running it on every
/// window of hours of audio would cost too much.
///
/// How the two stages share the work (`FileScanner`):
/// - Files up to `ScanOptions.segmentOverSeconds` are embedded whole by this model: the screen would add
///   nothing, since its scores against every artist cost one matrix-vector product.
/// - Longer files are streamed through the windowed model first (the screen), which marks windows whose
///   cosine with an artist reaches `ScanOptions.screenMinScore`, merged into candidate segments. The
///   candidate audio (`CandidatePieces`) is then decoded again and embedded piece by piece by this model
///   (`ConfirmPass`); a piece is marked for a candidate artist when this model's score passes `rule`, and the
///   marks merge into the segments reported. The file's voiceprint is the normalised mean of the pieces'
///   embeddings, so the file-level scores are this model's too, over the speech the screen flagged. A long
///   file in which the screen flags nothing has no confirmed speech and no hit.
///
/// Every score, LR and percentile reported is this model's, from `scorer` (its index, calibration and
/// cohort); the screen's cosines only decide what is looked at.
public struct Confirmer: Sendable {
    public let embedder: any SpeakerEmbedder
    /// The artists' voiceprints of `embedder`'s model, with its calibration and cohort.
    public let scorer: ArtistScorer
    /// When a confirming piece is marked for an artist (in this model's terms).
    public let rule: WindowRule
    private let rows: [String: Int]

    /// Throws `ScanSetupError.invalidOptions` when the scorer is of another model.
    public init(embedder: any SpeakerEmbedder, scorer: ArtistScorer, rule: WindowRule) throws {
        guard scorer.index.modelID == embedder.modelID else {
            throw ScanSetupError.invalidOptions("the confirming model is \(embedder.modelID) but its voiceprints are \(scorer.index.modelID)")
        }
        self.embedder = embedder
        self.scorer = scorer
        self.rule = rule
        rows = Dictionary(uniqueKeysWithValues: scorer.artistIDs.enumerated().map { ($1, $0) })
    }

    /// The rule for `embedder` under `options`: the given window rule or hit threshold (the user's numbers
    /// are the confirming model's), else the model's default piece cosine (`defaultPieceMinScore`).
    /// Throws `ScanSetupError.invalidOptions` for a model without a default when no threshold is given.
    public static func rule(for embedder: any SpeakerEmbedder, options: ScanOptions) throws -> WindowRule {
        if options.windowRuleIsDefault {
            guard let score = defaultPieceMinScore[embedder.modelID] else {
                throw ScanSetupError.invalidOptions("model \(embedder.modelID) has no default segment cosine: give --segment-min-score "
                                                    + "(a cosine of that model), or --threshold with a calibration of it")
            }
            return .minScore(score)
        }
        return options.windowRule(defaultMinScore: .nan)
    }

    /// Cosine over which a confirming piece is marked when no threshold is given, per model id. Cosines of
    /// different models are on different scales (GE2E's windows use `ScanOptions.defaultWindowMinScore`).
    /// CAM++: 0.5, measured with `benchmarks/segment_threshold.py` (3 s pieces, GE2E screen at 0.75): 67.5 s of
    /// the 81 s of enrolled speech covered with 16.3 s of false segment time, where GE2E alone at its 0.78
    /// covers 67.8 s with 27.9 s; 0.45 gave 68.8 s and 25.7 s, 0.55 66.7 s and 11.4 s (BENCHMARKS.md,
    /// "Two-stage scan"). On speechocean762's whole-clip trials 0.5 lets 8 % of the non-target trials through.
    ///
    /// Fusion: 0.64, the mean of GE2E's 0.78 and CAM++'s 0.5 (its cosine is the mean of theirs), measured the
    /// same way: 66.7 s covered with 14.3 s of false segment time; 0.60 gave 67.2 s and 24.6 s, 0.68 65.6 s
    /// and 9.6 s.
    public static let defaultPieceMinScore: [String: Double] = [
        CAMPlusPlusSource.modelID: 0.5,
        FusionModel.descriptor.id: 0.64,
    ]

    /// The two-stage analysis in words, recorded with the scan's settings (`ScanSettings.analysis`), so that
    /// `--resume` never appends rows of another method; the screen's numbers are `screenSettings`. Change the
    /// version whenever the numbers a two-stage scan writes would change.
    public func analysis(screen: any WindowedSpeakerEmbedder) -> String {
        "\(embedder.modelID) confirms a \(screen.modelID) screen (v1): files up to --segment-over embedded whole by "
            + "\(embedder.modelID); longer ones screened by \(screen.tileAnalysis); candidate pieces embedded whole by "
            + "\(embedder.modelID), file voiceprint the mean of the pieces'"
    }

    /// The screen's settings as recorded (`ScanSettings.screen`): its model, cosine and piece length.
    public static func screenSettings(screen: any WindowedSpeakerEmbedder, options: ScanOptions) -> String {
        "\(screen.modelID) windows with cosine >= \(ScanSettings.number(options.screenMinScore)), "
            + "confirmed in pieces of at most \(ScanSettings.number(options.confirmPieceSeconds)) s"
            + ((screen.identity.precision ?? .float32) == .float32 ? "" : "; \(screen.identity.precision!.rawValue) screen")
    }

    /// The matrix row of `artist` in `scorer`, nil when it is not searched.
    func row(of artist: String) -> Int? { rows[artist] }
}
