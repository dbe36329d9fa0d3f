import Foundation

/// How far an analysis of audio files (`ClipAnalyzer`) has got, in seconds of audio: what a progress line shows.
///
/// The work on a file is counted as its length (from its header; an estimate for MPEG, 0 when unknown) and done
/// as it is decoded and embedded: decoding counts for `decodeShare` of each second, embedding for the rest, so
/// the figure moves inside one long embedding too (at the grain the model reports, `SpeakerEmbedder`). When a
/// file is finished, or fails, it counts as wholly done.
public struct AnalysisProgress: Sendable, Equatable {
    /// The share of a second of audio's work that is decoding it (the models take roughly ten times longer).
    public static let decodeShare = 0.1

    /// The file that was worked on last.
    public var file: String
    /// Seconds of audio done so far over every file of the call, counting the files in progress in part.
    public var secondsDone: Double
    /// Seconds of audio of every file of the call.
    public var secondsTotal: Double
    public var filesDone: Int
    public var filesTotal: Int

    public init(file: String, secondsDone: Double, secondsTotal: Double, filesDone: Int, filesTotal: Int) {
        self.file = file
        self.secondsDone = secondsDone
        self.secondsTotal = secondsTotal
        self.filesDone = filesDone
        self.filesTotal = filesTotal
    }

    /// Every file is done (the last report of a call).
    public var isFinished: Bool { filesDone == filesTotal }
}
