/// The MFCC-statistics baseline's entry in the model catalogue (no weights file).
public enum MFCCStatsModel {
    public static let descriptor = ModelDescriptor(
        name: "mfcc", id: MFCCStatsEmbedder.modelID, role: .speakerEmbedder,
        summary: "non-neural baseline: statistics of Kaldi MFCCs (24-d); a fallback and a sanity check",
        origin: "likeness", licence: "same as likeness", file: nil,
        loadSpeakerEmbedder: { options in
            var mfcc = MFCCStatsOptions()
            mfcc.minimumSpeechSeconds = options.minimumSpeechSeconds
            return MFCCStatsEmbedder(options: mfcc)
        })
}
