/// Options of `SpeechPresenceDetector` (Kaldi style: every knob documented with its default). The defaults were
/// chosen on the development speech and sox-made noise, tones and music (BENCHMARKS.md, "Speech detection").
public struct SpeechPresenceOptions: Sendable, Equatable {
    /// Sample rate of the input, Hz. Only 16000 is supported (the pipeline's rate). Default 16000.
    public var sampleRate: Int
    /// Analysis window for the voicing measure, ms: at least one period of the lowest pitch. Default 30.
    public var frameMilliseconds: Int
    /// Frame hop, ms. Default 10.
    public var hopMilliseconds: Int
    /// Pitch search range, Hz: adult and child voices. Defaults 60 and 400.
    public var minimumPitchHz: Double
    public var maximumPitchHz: Double
    /// Band kept for the voicing and envelope measures, Hz (voice fundamentals and first formants; it also
    /// leaves out most of a broadband noise). Defaults 60 and 1000.
    public var bandLowHz: Double
    public var bandHighHz: Double
    /// A frame is voiced when its normalised cross-correlation peak (pitch range) reaches this. Default 0.5.
    public var voicingThreshold: Double
    /// A periodic frame whose NCCF also reaches minus this (half a period on) is a pure tone, not voice. Default 0.95.
    public var maximumAnticorrelation: Double
    /// Frames quieter than this in the band (dB re full scale) are never voiced. Default -60.
    public var silenceFloorDB: Double
    /// A pitch change larger than this between neighbouring frames ends a voiced run (an octave error, a new
    /// note, a random lag in noise), semitones. Default 2.
    public var maximumPitchJump: Double
    /// Shortest voiced run that can count as a syllable nucleus, seconds. Default 0.05.
    public var minimumRunSeconds: Double
    /// A run's pitch "moves" when at least half of its frame-to-frame changes reach this many semitones
    /// (speech intonation glides; synthesised notes and tones hold their pitch). Default 0.03.
    public var minimumPitchMovement: Double
    /// Context before a run over which its syllabic modulation is measured, seconds. Default 0.5.
    public var modulationContextSeconds: Double
    /// A run is a syllable when its loudest frame is at least this many dB above the quietest frame of its
    /// context (the band energy dips between syllables; a tone or sweep does not dip). Default 10.
    public var minimumModulationDB: Double
    /// Speech is found when the qualifying runs add up to at least this many seconds... Default 0.05 (one run).
    public var minimumSpeechSeconds: Double
    /// ...and to at least this fraction of the recording (so sporadic false runs in hours of noise do not add
    /// up). Default 0.002.
    public var minimumSpeechFraction: Double
    /// Recordings shorter than this are not judged: the speaker models refuse them as too little speech anyway
    /// (1 s by default; one error is enough), and a single spoken digit holds too few syllables to judge
    /// reliably (BENCHMARKS.md). Default 1.0 s.
    public var minimumJudgedSeconds: Double
    /// Once the counted runs reach this many seconds the recording is speech and the rest is not analysed: this
    /// much intonated, syllabic voicing is a voice whatever the recording's length. It spares long speech
    /// recordings most of the check's cost (a 10-minute reading settles within its first minute). Default 30 s,
    /// which is 0.2 % of 4.2 hours; a longer recording that settles counts as speech even where the fraction
    /// rule alone would not (half a minute of speech in hours of noise is still speech).
    public var settledSpeechSeconds: Double = 30

    public init(sampleRate: Int = 16000, frameMilliseconds: Int = 30, hopMilliseconds: Int = 10,
                minimumPitchHz: Double = 60, maximumPitchHz: Double = 400, bandLowHz: Double = 60,
                bandHighHz: Double = 1000, voicingThreshold: Double = 0.5, maximumAnticorrelation: Double = 0.95, silenceFloorDB: Double = -60,
                maximumPitchJump: Double = 2, minimumRunSeconds: Double = 0.05, minimumPitchMovement: Double = 0.03,
                modulationContextSeconds: Double = 0.5, minimumModulationDB: Double = 10,
                minimumSpeechSeconds: Double = 0.05, minimumSpeechFraction: Double = 0.002,
                minimumJudgedSeconds: Double = 1.0) {
        self.sampleRate = sampleRate
        self.frameMilliseconds = frameMilliseconds
        self.hopMilliseconds = hopMilliseconds
        self.minimumPitchHz = minimumPitchHz
        self.maximumPitchHz = maximumPitchHz
        self.bandLowHz = bandLowHz
        self.bandHighHz = bandHighHz
        self.voicingThreshold = voicingThreshold
        self.maximumAnticorrelation = maximumAnticorrelation
        self.silenceFloorDB = silenceFloorDB
        self.maximumPitchJump = maximumPitchJump
        self.minimumRunSeconds = minimumRunSeconds
        self.minimumPitchMovement = minimumPitchMovement
        self.modulationContextSeconds = modulationContextSeconds
        self.minimumModulationDB = minimumModulationDB
        self.minimumSpeechSeconds = minimumSpeechSeconds
        self.minimumSpeechFraction = minimumSpeechFraction
        self.minimumJudgedSeconds = minimumJudgedSeconds
    }
}
