/// Anything that turns 16 kHz mono speech into a `Voiceprint`: the role of a speaker model in the catalogue.
///
/// Contract: `embed` is safe to call from several threads at once (models are immutable after loading);
/// `Voiceprint.embedding` has `dimension` values and unit norm; too little speech throws
/// `VoiceprintError.tooLittleSpeech`.
public protocol SpeakerEmbedder: Sendable {
    /// Which model this is, with its file's path and SHA-256 (recorded in every result's provenance).
    var identity: ModelIdentity { get }
    /// Length of `Voiceprint.embedding`.
    var dimension: Int { get }
    /// `samples16k`: mono PCM in [-1, 1) at 16 kHz. `preprocess`: apply the model's own loudness
    /// normalisation and silence handling first (turn off only for input that is already preprocessed).
    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint
    /// `embed(samples16k:preprocess:)`, telling `progress` the fraction of the work done so far (in 0...1,
    /// never decreasing) while it works, so a caller can show progress inside one long embedding. Models that
    /// can tell cheaply report at a finer grain (GE2E: LSTM time steps; CAM++: network stages); the default
    /// reports 1 when done. The result is the same as without `progress`.
    func embed(samples16k: [Float], preprocess: Bool, progress: (Double) -> Void) throws -> Voiceprint
    /// The voiceprints of the models a voiceprint of this model is made of (a fusion's components), so an
    /// enrolment stores each model's voiceprint too; empty for a single model.
    func componentVoiceprints(of voiceprint: Voiceprint) -> [Voiceprint]
    /// One voiceprint from the voiceprints of consecutive pieces of one long recording (embedded piece by piece
    /// to bound memory). Default: their mean weighted by speech, L2-normalised, speech summed, partials kept.
    func combine(_ pieces: [Voiceprint]) -> Voiceprint
    /// Voiceprints of several independent clips: for each, what `embed(samples16k:preprocess:)` gives, or nil
    /// where that throws (too little speech, ...). Models that run many windows at once batch the clips together
    /// (GE2E: a 2 s clip is 2 windows, and one at a time its LSTM streams its weights once per 2 windows, where a
    /// batch of 16 clips streams them once per 32). Default: one clip at a time.
    func embedEach(_ clips: [[Float]], preprocess: Bool) -> [Voiceprint?]
}

extension SpeakerEmbedder {
    /// The model id stored with every voiceprint it makes.
    public var modelID: String { identity.id }

    public func componentVoiceprints(of voiceprint: Voiceprint) -> [Voiceprint] { [] }

    public func embed(samples16k: [Float], preprocess: Bool, progress: (Double) -> Void) throws -> Voiceprint {
        let voiceprint = try embed(samples16k: samples16k, preprocess: preprocess)
        progress(1)
        return voiceprint
    }

    public func combine(_ pieces: [Voiceprint]) -> Voiceprint {
        Voiceprint.speechWeightedMean(pieces, modelID: modelID)
    }

    public func embedEach(_ clips: [[Float]], preprocess: Bool) -> [Voiceprint?] {
        clips.map { try? embed(samples16k: $0, preprocess: preprocess) }
    }
}

extension Voiceprint {
    /// The speech-weighted mean of `pieces`' embeddings, L2-normalised; speech summed; partials concatenated.
    /// Precondition: at least one piece, all of one dimension.
    public static func speechWeightedMean(_ pieces: [Voiceprint], modelID: String) -> Voiceprint {
        precondition(!pieces.isEmpty, "no pieces to combine")
        var sum = [Double](repeating: 0, count: pieces[0].embedding.count)
        for piece in pieces {
            let weight = max(piece.speechSeconds, 1e-3)
            for i in sum.indices { sum[i] += weight * Double(piece.embedding[i]) }
        }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return Voiceprint(modelID: modelID, embedding: sum.map { Float(norm > 0 ? $0 / norm : 0) },
                          partials: pieces.flatMap(\.partials), speechSeconds: pieces.reduce(0) { $0 + $1.speechSeconds })
    }
}

/// A speaker model that can embed a long recording piece by piece: fixed-length tiles are embedded
/// independently (in batches) and a window's embedding pools its tiles' embeddings, so a sliding window
/// over hours of audio computes each tile once (the scan of long recordings).
///
/// Contract: `tileSamples` is the tile length at 16 kHz; `tileFeatures` turns one tile (speech, after
/// `preprocess(_:within:at:extraCapacity:)`, at most `tileSamples` long) into the model's input, `featureCount`
/// values; `embedTiles` embeds `count` such inputs stored back to back and is thread safe; `pool` of the
/// embeddings of all tiles of an utterance is its voiceprint embedding.
public protocol WindowedSpeakerEmbedder: SpeakerEmbedder {
    var tileSamples: Int { get }
    /// Values per tile in `embedTiles`' input.
    var featureCount: Int { get }
    /// Samples per window of the voice-activity detector (tile offsets are aligned to it).
    var speechDetectionWindow: Int { get }
    /// The model's preprocessing of `piece`, with speech found over `surrounding` (which holds `piece` at
    /// `offset`), so speech at the piece's edges is judged with its context. May return fewer samples.
    func preprocess(_ piece: [Float], within surrounding: [Float], at offset: Int, extraCapacity: Int) -> [Float]
    /// The model input of one preprocessed tile (zero-padded to a full tile as the model expects).
    func tileFeatures(_ speech: [Float]) throws -> [Float]
    func embedTiles(_ features: [Float], count: Int) -> [[Float]]
    /// A window's (or an utterance's) embedding from its tiles' embeddings.
    func pool(_ tileEmbeddings: [[Float]]) -> [Float]
    /// The tile analysis in words, with a version, recorded with scan results so `--resume` never mixes
    /// analyses: e.g. "GE2E; 1.6 s tiles ...".
    var tileAnalysis: String { get }
}
