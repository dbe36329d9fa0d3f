import ArgumentParser
import Foundation
import LikenessAudio
import LikenessFeatures

extension FeaturePreset: ExpressibleByArgument {}

/// `likeness features FILE --preset P`: prints a feature matrix (frames x coefficients).
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print acoustic features (MFCC, fbank, GE2E mel) of an audio file.",
        discussion: """
        Presets reproduce reference implementations exactly (dither 0):
        \(FeaturePreset.allCases.map { "  \($0.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        The audio is decoded, mixed to mono and resampled to the preset's rate (16 kHz). \
        Output is one row per frame, no header.

        Examples:
          likeness features samples/alice_1.wav --preset kaldi-mfcc
          likeness features clip.flac --preset librosa-mfcc --format json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "Audio file (WAV, FLAC, OGG, Opus, MP3, AIFF, CAF, W64/RF64).")
    var file: String

    @Option(help: "Feature preset: \(FeaturePreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: FeaturePreset = .kaldiMfcc

    @Option(help: "Output format: csv or json.")
    var format: Format = .csv

    func run() throws {
        let audio = try AudioDecoder.decode(
            path: file, options: AudioDecodeOptions(targetSampleRate: preset.sampleRate))
        audio.warnings.forEach { Output.warn($0.description) }
        let features = try preset.compute(audio.samples, sampleRate: audio.sampleRate)
        switch format {
        case .csv:
            var out = ""
            out.reserveCapacity(features.frames * features.dims * 12)
            for t in 0..<features.frames {
                // "\(x)" is the shortest text that reads back to the same Float.
                out += features.row(t).map { "\($0)" }.joined(separator: ",")
                out += "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        case .json:
            struct Payload: Encodable {
                let file: String, preset: String, sampleRate: Int, frames: Int, dims: Int
                let values: [[Float]]
            }
            let rows = (0..<features.frames).map { Array(features.row($0)) }
            try Output.printJSON(Payload(
                file: file, preset: preset.rawValue, sampleRate: audio.sampleRate,
                frames: features.frames, dims: features.dims, values: rows))
        }
    }
}
