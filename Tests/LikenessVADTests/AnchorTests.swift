import Foundation
import Testing
import LikenessVAD

// Bit-exactness against the Python anchor (py-webrtcvad inside Resemblyzer 0.1.4's own
// preprocess_wav), on identical input: the anchor dumps the float waveform it handed to
// trim_long_silences and the int16 PCM it fed to webrtcvad, and the Swift side reads those.
// Enabled when LIKENESS_ANCHOR_VENV points at benchmarks/.venv/bin/python (see benchmarks/venv.sh).

@Test(.enabled(if: Support.anchorPython != nil && Support.hasSpeechTools,
               "set LIKENESS_ANCHOR_VENV to the anchor venv's python; needs espeak-ng and sox"))
func generatedSpeechMatchesWebRTCExactly() throws {
    let python = try #require(Support.anchorPython)
    let directory = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Varied voices, a quiet take (exercises volume normalisation), a noisy take with pauses
    // (exercises the noise model and the hangover), and 8 kHz input (exercises resampling).
    var files = [
        try Support.speak("Hello there, this is a short test of the voice activity detector.", name: "a", in: directory),
        try Support.speak("Numbers: one, two, three. Then a long pause.", voice: "en-us+f3", name: "b", in: directory),
        try Support.speak("Ceci est une phrase en français, assez longue.", voice: "fr", name: "c", in: directory),
    ]
    let sox = try #require(Support.tool("sox"))
    let quiet = directory.appendingPathComponent("quiet.wav")
    try Support.run(sox, [files[0].path, quiet.path, "vol", "0.02", "pad", "1", "1"])
    let noise = directory.appendingPathComponent("noise.wav")
    try Support.run(sox, ["-n", "-r", "22050", "-c", "1", "-b", "16", noise.path, "synth", "6", "pinknoise", "vol", "0.05"])
    let noisy = directory.appendingPathComponent("noisy.wav")
    try Support.run(sox, ["-m", noise.path, "|sox \(files[1].path) -p pad 1 1", noisy.path])
    let narrow = directory.appendingPathComponent("narrow.wav")
    try Support.run(sox, [files[2].path, "-r", "8000", narrow.path])
    files += [quiet, noisy, narrow]

    let records = try Anchor.run(python: python, files: files.map(\.path),
                                 dumpDirectory: directory.appendingPathComponent("dump"))
    #expect(records.count == files.count)
    for record in records {
        let swift = try SwiftResult(record: record)
        #expect(swift.pcmMismatchesInRange == 0, "int16 conversion differs for \(record.path)")
        #expect(swift.flagsOnAnchorPCM == record.flags, "VAD flags on identical PCM differ for \(record.path)")
        #expect(swift.flags == record.flags, "raw flags differ for \(record.path)")
        #expect(swift.mask == record.mask, "mask differs for \(record.path)")
        #expect(swift.trimmedLength == record.trimmed_length, "trimmed length differs for \(record.path)")
        #expect(record.flags.contains("1") && record.flags.contains("0"), "fixture should mix speech and silence")
    }
}

/// Agreement over real speech from `shared/data`: LIKENESS_VAD_AGREEMENT_FILES=N picks N files spread
/// evenly over the sorted file list of each data folder (needs the anchor venv too). Prints the
/// fraction of identical window flags and of identical trimmed lengths. Slow in debug builds; run with
/// `swift test -c release`.
@Test(.enabled(if: Support.anchorPython != nil && Support.sharedDirectory != nil
               && ProcessInfo.processInfo.environment["LIKENESS_VAD_AGREEMENT_FILES"] != nil,
               "set LIKENESS_VAD_AGREEMENT_FILES, LIKENESS_ANCHOR_VENV and provide shared/data"))
func realSpeechAgreement() throws {
    let python = try #require(Support.anchorPython)
    let data = try #require(Support.sharedDirectory).appendingPathComponent("data")
    let perFolderTotal = Int(ProcessInfo.processInfo.environment["LIKENESS_VAD_AGREEMENT_FILES"] ?? "") ?? 40
    let audioExtensions: Set<String> = ["wav", "flac", "mp3", "ogg", "oga"]
    let folders = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
        .filter { (try? data.appendingPathComponent($0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
    let perFolder = max(1, perFolderTotal / max(1, folders.count))
    var files: [String] = []
    for folder in folders {
        let root = data.appendingPathComponent(folder)
        let all = (FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? [])
            .filter { audioExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !all.isEmpty else { continue }
        let step = max(1, all.count / perFolder)
        files += stride(from: 0, to: all.count, by: step).prefix(perFolder).map { root.appendingPathComponent(all[$0]).path }
    }

    let directory = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let records = try Anchor.run(python: python, files: files, dumpDirectory: directory)
    var windows = 0, sameVAD = 0, sameFlags = 0, sameMask = 0, sameLengths = 0
    var pcmMismatches = 0, clippedFiles = 0
    var differing: [String] = []
    for record in records {
        let swift = try SwiftResult(record: record)
        windows += record.flags.count
        sameVAD += zip(swift.flagsOnAnchorPCM, record.flags).filter { $0 == $1 }.count
        sameFlags += zip(swift.flags, record.flags).filter { $0 == $1 }.count
        sameMask += zip(swift.mask, record.mask).filter { $0 == $1 }.count
        pcmMismatches += swift.pcmMismatchesInRange
        if swift.overflowSamples > 0 { clippedFiles += 1 }
        if swift.trimmedLength == record.trimmed_length {
            sameLengths += 1
        } else {
            differing.append("\(record.path) (\(swift.trimmedLength) vs \(record.trimmed_length), "
                             + "\(swift.overflowSamples) samples beyond full scale)")
        }
    }
    let summary = """
        VAD agreement over \(records.count) files, \(windows) windows of 30 ms:
          VAD on identical int16 PCM: \(sameVAD)/\(windows) windows identical
          full trimmer from the float waveform: raw flags \(sameFlags)/\(windows), mask \(sameMask)/\(windows), \
        trimmed lengths \(sameLengths)/\(records.count)
          int16 conversion: \(pcmMismatches) in-range samples differ; \(clippedFiles) files exceed full scale (numpy wraps, Swift clips)
        """
    print(summary)
    if !differing.isEmpty { print("trimmed length differs: " + differing.joined(separator: "; ")) }
    #expect(records.count == files.count)
    #expect(sameVAD == windows, "\(summary)")
    #expect(pcmMismatches == 0, "\(summary)")
    // Only clipped (beyond full scale) files may differ, through the clip-vs-wrap conversion.
    #expect(records.count - sameLengths <= clippedFiles, "\(summary)")
}
