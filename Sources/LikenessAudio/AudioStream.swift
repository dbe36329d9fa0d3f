// Block-wise decoding: file -> libsndfile -> mono -> libsoxr -> Float blocks.

/// Decodes one audio file block by block with bounded memory (one block of interleaved source
/// frames plus the resampler's state), whatever the file length.
///
/// Each `nextBlock()` returns mono samples at `outputSampleRate` (see `AudioDecodeOptions` for the
/// scale and resampling contract), never an empty array, and `nil` once the file is exhausted and
/// the resampler flushed. Failures throw `AudioError`: at init for path, format and header problems;
/// from `nextBlock()` for decoder errors (`.decodeFailed`, e.g. a cut FLAC's "lost sync"), NaN/Inf
/// samples (`.nonFiniteSample`), and files that decode to nothing (`.empty` when the header declares
/// no audio, `.decodeFailed` when it promised some). After a throw, further calls rethrow it.
/// Truncation that still yields audio is a warning in `warnings`, not an error.
/// Not Sendable: owns C handles; use from one task.
public final class AudioStream {
    public let info: AudioFileInfo
    public let options: AudioDecodeOptions
    /// Sample rate of the returned blocks.
    public var outputSampleRate: Int { options.targetSampleRate ?? info.sampleRate }
    public private(set) var warnings: [AudioWarning] = []
    /// Source frames decoded so far (native rate, per channel).
    public private(set) var framesRead: Int64 = 0

    /// For MPEG: why the stream looks cut (its last frame runs past the end of the file), found at open.
    private let mpegCut: String?
    private let file: SndFile
    private let resampler: Resampler?
    private var interleaved: [Float]
    private var finished = false
    private var failure: AudioError?

    public init(path: String, options: AudioDecodeOptions = .init()) throws(AudioError) {
        if let rate = options.targetSampleRate, rate <= 0 {
            throw .invalidOptions(reason: "targetSampleRate must be positive, got \(rate)")
        }
        guard (1...(1 << 24)).contains(options.blockFrames) else {
            throw .invalidOptions(reason: "blockFrames must be in 1...16777216, got \(options.blockFrames)")
        }
        try FileChecks.preflight(path: path)
        let file = try SndFile(path: path)
        guard file.sampleRate > 0, file.channels > 0 else {
            throw .decodeFailed(path: path, reason: "header reports \(file.sampleRate) Hz, \(file.channels) channels")
        }
        // MPEG frame counts are estimates; any other format with 0 frames has no audio.
        if file.frames == 0 && !file.isMPEG { throw .empty(path: path) }

        self.file = file
        self.options = options
        info = AudioFileInfo(path: path, container: file.containerName, encoding: file.encodingName,
                             sampleRate: file.sampleRate, channels: file.channels,
                             declaredFrames: file.frames == Int64.max ? -1 : file.frames)
        let target = options.targetSampleRate ?? file.sampleRate
        resampler = target == file.sampleRate ? nil : try Resampler(from: file.sampleRate, to: target)
        interleaved = [Float](repeating: 0, count: options.blockFrames * file.channels)

        // mpg123 decodes a cut MP3 without complaint, and without a Xing tag the length is itself estimated from
        // the file size: the frame headers are the only witness.
        mpegCut = file.isMPEG ? try FileChecks.mpegCutDescription(path: path) : nil
        // libsndfile sizes WAV/RF64/W64/AIFF/CAF by what is on disk, so a cut-off file only shows as
        // a header promising more frames than libsndfile reports.
        if file.isUncompressed, let declared = try FileChecks.headerDeclaredFrames(path: path),
           declared > file.frames {
            warnings.append(.truncated(path: path, declaredFrames: declared, availableFrames: file.frames))
        }
    }

    /// The next block of mono samples at `outputSampleRate`, or nil at the end.
    public func nextBlock() throws(AudioError) -> [Float]? {
        if let failure { throw failure }
        do {
            return try readBlock()
        } catch {
            failure = error
            finished = true
            file.close()
            throw error
        }
    }

    private func readBlock() throws(AudioError) -> [Float]? {
        while !finished {
            let channels = info.channels
            let requested = options.blockFrames
            let n: Int
            do {
                n = try interleaved.withUnsafeMutableBufferPointer { buffer throws(AudioError) in
                    try file.readFrames(into: buffer, count: requested)
                }
            } catch .decodeFailed(_, let reason) where (info.container == "FLAC" || file.isMPEG) && framesRead > 0 {
                // A cut FLAC loses sync at the cut; mpg123 gives up in a damaged stretch it cannot resync past.
                // Keep what decoded and warn, as for a cut WAV.
                let declared = file.isMPEG ? "about \(info.declaredFrames) frames (estimated)"
                                           : "the \(info.declaredFrames) frames its header declares"
                warnings.append(.possiblyTruncated(path: info.path, reason: "the \(info.container) decoder stopped "
                    + "after \(framesRead) of \(declared) (\(reason)); the file is truncated or damaged; decoding what "
                    + "is present"))
                return try finish()
            }
            if n == 0 {
                // End of data (MPEG included: its frame count is only an estimate, so read until 0).
                return try finish()
            }
            let mono = try mixToMono(frames: n, channels: channels)
            framesRead += Int64(n)
            guard let resampler else { return mono }
            let out = try resampler.process(mono)
            if !out.isEmpty { return out }
        }
        return nil
    }

    /// Averages channels and rejects NaN/Inf (reported with their source frame index).
    private func mixToMono(frames n: Int, channels: Int) throws(AudioError) -> [Float] {
        let firstFrame = framesRead
        let path = info.path
        return try interleaved.withUnsafeBufferPointer { buf throws(AudioError) -> [Float] in
            var mono = [Float](repeating: 0, count: n)
            // A sum is finite only if every term is (NaN and Inf propagate); scan only on failure.
            var total: Float = 0
            if channels == 1 {
                for i in 0..<n { mono[i] = buf[i]; total += buf[i] }
            } else {
                let scale = Float(channels)
                for f in 0..<n {
                    var s: Float = 0
                    for c in 0..<channels { s += buf[f * channels + c] }
                    mono[f] = s / scale
                    total += s
                }
            }
            if !total.isFinite, let bad = (0..<(n * channels)).first(where: { !buf[$0].isFinite }) {
                throw .nonFiniteSample(path: path, index: firstFrame + Int64(bad / channels))
            }
            return mono
        }
    }

    /// Called once when the decoder returns no more frames.
    private func finish() throws(AudioError) -> [Float]? {
        finished = true
        file.close()
        let declared = info.declaredFrames
        let unknownLength = declared < 0
        if framesRead == 0 {
            if declared == 0 { throw .empty(path: info.path) }
            let promised = unknownLength ? "audio of unknown length" : "\(declared) frames"
            throw .decodeFailed(path: info.path, reason: "the decoder returned no samples although the header "
                + "declares \(promised); the file is probably truncated or corrupt")
        }
        let alreadyWarned = warnings.contains {
            switch $0 {
            case .truncated: true
            case .possiblyTruncated: true
            }
        }
        if unknownLength {
            if info.container == "OGG" {
                warnings.append(.possiblyTruncated(path: info.path, reason: "no final Ogg page, so the length "
                    + "is unknown; decoded \(framesRead) frames"))
            }
        } else if file.isMPEG, let cut = mpegCut {
            warnings.append(.possiblyTruncated(path: info.path, reason: cut))
        } else if file.isMPEG {
            // The MPEG count is exact with a Xing/Info tag, else a size/bitrate estimate: allow 5 %.
            if framesRead < declared - declared / 20 {
                warnings.append(.possiblyTruncated(path: info.path, reason: "MPEG stream decoded to "
                    + "\(framesRead) frames, but its header/size estimate is \(declared)"))
            }
        } else if framesRead < declared && !alreadyWarned {
            warnings.append(.truncated(path: info.path, declaredFrames: declared, availableFrames: framesRead))
        }
        guard let resampler else { return nil }
        let tail = try resampler.flush()
        return tail.isEmpty ? nil : tail
    }
}
