import Foundation
@testable import LikenessAudio
import Testing

/// Decodes and returns the AudioError thrown (nil, with an issue recorded, if none was thrown).
func decodeError(_ path: String, _ options: AudioDecodeOptions = .init()) -> AudioError? {
    #expect(throws: AudioError.self) { try AudioDecoder.decode(path: path, options: options) }
}

@Suite("Errors and warnings")
struct ErrorTests {
    @Test func missingFile() throws {
        try withTempDir { dir in
            let path = "\(dir)/nope.wav"
            #expect(decodeError(path) == .fileNotFound(path: path))
            #expect(decodeError("\(dir)/nope/deeper.wav") == .fileNotFound(path: "\(dir)/nope/deeper.wav"))
            #expect(AudioError.fileNotFound(path: path).description == "\(path): no such file")
        }
    }

    @Test func directory() throws {
        try withTempDir { dir in
            #expect(decodeError(dir) == .isDirectory(path: dir))
        }
    }

    @Test(.enabled(if: geteuid() != 0, "running as root: mode 000 does not stop root from reading"))
    func permissionDenied() throws {
        try withTempDir { dir in
            let path = "\(dir)/locked.wav"
            try writeAudio(path, sine(440, rate: 16000, seconds: 0.1), rate: 16000, format: Fmt.wav16)
            chmod(path, 0)
            #expect(decodeError(path) == .unreadable(path: path, reason: "Permission denied"))
        }
    }

    @Test("a FIFO is refused instead of blocking")
    func notRegularFile() throws {
        try withTempDir { dir in
            let path = "\(dir)/pipe.wav"
            #expect(mkfifo(path, 0o644) == 0)
            #expect(decodeError(path) == .unreadable(path: path, reason: "not a regular file"))
        }
    }

    @Test("text renamed .wav is not audio")
    func textFile() throws {
        try withTempDir { dir in
            let path = "\(dir)/notes.wav"
            try "Meeting notes: nothing to hear here.\n".write(toFile: path, atomically: true, encoding: .utf8)
            guard case .notAudio(let p, let reason) = decodeError(path) else {
                Issue.record("expected .notAudio")
                return
            }
            #expect(p == path)
            #expect(!reason.isEmpty)
        }
    }

    @Test("M4A, ADTS AAC and WMA are named as unsupported, with advice to convert")
    func unsupportedContainers() throws {
        try withTempDir { dir in
            let m4a: [UInt8] = [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [0, 0, 0, 0] + Array("M4A mp42isom".utf8)
                + [UInt8](repeating: 0, count: 64)
            let adts: [UInt8] = [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC] + [UInt8](repeating: 0x21, count: 64)
            let wma: [UInt8] = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]
                + [UInt8](repeating: 0, count: 64)
            for (name, bytes, format) in [("song.m4a", m4a, "MP4/M4A"), ("song.aac", adts, "raw AAC (ADTS)"), ("song.wma", wma, "ASF/WMA")] {
                let path = "\(dir)/\(name)"
                try writeBytes(path, bytes)
                let error = decodeError(path)
                guard case .unsupportedFormat(let p, let f, let advice) = error else {
                    Issue.record("\(name): expected .unsupportedFormat, got \(String(describing: error))")
                    continue
                }
                #expect(p == path)
                #expect(f.hasPrefix(format))
                #expect(advice.contains("convert to WAV or FLAC"))
                #expect(error!.description.hasPrefix("\(path): unsupported format"))
            }
        }
    }

    @Test("0-byte file, 0-frame WAV and 0-frame Ogg are empty")
    func emptyFiles() throws {
        try withTempDir { dir in
            let zeroBytes = "\(dir)/zero.wav"
            try writeBytes(zeroBytes, [])
            #expect(decodeError(zeroBytes) == .empty(path: zeroBytes))
            for (name, format) in [("header.wav", Fmt.wav16), ("header.ogg", Fmt.vorbis)] {
                let path = "\(dir)/\(name)"
                try writeAudio(path, [], rate: 16000, format: format)
                #expect(try fileSize(path) > 0)
                #expect(decodeError(path) == .empty(path: path))
            }
        }
    }

    @Test("truncated PCM files decode what is present and warn with both frame counts",
          arguments: [("wav", Fmt.wav16), ("rf64", Fmt.rf64_16), ("w64", Fmt.w64_16), ("aiff", Fmt.aiff16),
                      ("caf", Fmt.caf16)])
    func truncatedPCM(_ ext: String, _ format: Int32) throws {
        try withTempDir { dir in
            let path = "\(dir)/cut.\(ext)"
            try writeAudio(path, sine(440, rate: 16000, seconds: 1.0), rate: 16000, format: format)
            try chopTail(path, bytes: 4000)  // 2000 int16 frames
            let decoded = try AudioDecoder.decode(path: path)
            // 2000 frames cut, a few more when the container has a trailing chunk after the audio (CAF).
            let available = decoded.samples.count
            #expect((13990...14000).contains(available))
            #expect(decoded.warnings == [.truncated(path: path, declaredFrames: 16000, availableFrames: Int64(available))])
            #expect(decoded.warnings.first?.description.contains("declares 16000 frames but only \(available)") == true)
        }
    }

    @Test("an intact PCM file has no truncation warning")
    func intactNoWarning() throws {
        try withTempDir { dir in
            let path = "\(dir)/ok.wav"
            try writeAudio(path, sine(440, rate: 16000, seconds: 1.0), rate: 16000, format: Fmt.wav24)
            #expect(try AudioDecoder.decode(path: path).warnings.isEmpty)
        }
    }

    /// libsndfile 1.2.0: a cut FLAC opens with the STREAMINFO frame count, then sf_readf_float returns 0 with
    /// sf_error "flac decoder lost sync" at the cut. What decoded before it is kept, with a warning (as for WAV).
    @Test func truncatedFLAC() throws {
        try withTempDir { dir in
            let path = "\(dir)/cut.flac"
            try writeAudio(path, sine(440, rate: 16000, seconds: 3.0), rate: 16000, format: Fmt.flac16)
            try chopTail(path, bytes: try fileSize(path) / 2)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.samples.count > 0 && decoded.samples.count < 48000)
            guard case .possiblyTruncated(let p, let reason) = decoded.warnings.first, decoded.warnings.count == 1 else {
                Issue.record("expected one .possiblyTruncated warning, got \(decoded.warnings)")
                return
            }
            #expect(p == path)
            #expect(reason.contains("lost sync") && reason.contains("of the 48000 frames") && reason.contains("FLAC decoder"))
        }
    }

    /// libsndfile 1.2.0 (mpg123): a cut MP3 decodes without any error; with LAME's Xing tag the
    /// declared count is the original length, so the shortfall becomes a .possiblyTruncated warning.
    @Test func truncatedMP3() throws {
        try withTempDir { dir in
            let path = "\(dir)/cut.mp3"
            try writeAudio(path, sine(440, rate: 16000, seconds: 3.0), rate: 16000, format: Fmt.mp3)
            try chopTail(path, bytes: try fileSize(path) / 2)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.info.declaredFrames == 48000)
            #expect(decoded.samples.count < 30000)
            guard case .possiblyTruncated(let p, let reason) = decoded.warnings.first, decoded.warnings.count == 1 else {
                Issue.record("expected one .possiblyTruncated warning, got \(decoded.warnings)")
                return
            }
            #expect(p == path)
            // The frame walk sees the cut first (its last frame runs past the end); the Xing count would too.
            #expect(reason.contains("cut off") || reason.contains("estimate is 48000"), "\(reason)")
        }
    }

    /// An MP3 without a Xing/Info frame (what many encoders write for CBR): libsndfile's length is then its own
    /// size/bitrate estimate, so only the frame headers show the cut. Intact: no warning; cut mid-frame: warned.
    @Test func truncatedMP3WithoutXingTag() throws {
        try withTempDir { dir in
            let tagged = "\(dir)/tagged.mp3", plain = "\(dir)/plain.mp3"
            try writeAudio(tagged, sine(440, rate: 16000, seconds: 6.0), rate: 16000, format: Fmt.mp3)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: tagged)))
            var start = 0
            if bytes.starts(with: Array("ID3".utf8)) {
                start = 10 + (Int(bytes[6]) << 21 | Int(bytes[7]) << 14 | Int(bytes[8]) << 7 | Int(bytes[9]))
            }
            let first = try #require(FileChecks.mpegFrameLength(Array(bytes[start..<(start + 4)])))
            let firstFrame = String(decoding: bytes[start..<(start + first)].map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if firstFrame.contains("Xing") || firstFrame.contains("Info") { bytes.removeSubrange(start..<(start + first)) }
            try writeBytes(plain, bytes)
            #expect(try AudioDecoder.decode(path: plain).warnings.isEmpty)
            #expect(try FileChecks.mpegCutDescription(path: plain) == nil)

            // Cut 40 % of the way in, then step into the middle of the frame there.
            var cut = start, length = 0
            while cut < bytes.count * 2 / 5, let next = FileChecks.mpegFrameLength(Array(bytes[cut..<(cut + 4)])) {
                length = next
                cut += next
            }
            try writeBytes(plain, Array(bytes[..<(cut + length / 2)]))
            let decoded = try AudioDecoder.decode(path: plain)
            guard case .possiblyTruncated(let p, let reason) = decoded.warnings.first, decoded.warnings.count == 1 else {
                Issue.record("expected one .possiblyTruncated warning, got \(decoded.warnings)")
                return
            }
            #expect(p == plain)
            #expect(reason.contains("cut off"))
        }
    }

    /// Frame lengths from the header fields (ISO 11172-3 / 13818-3), checked on hand-made headers.
    @Test func mpegFrameLengths() {
        // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 144 × 128000 / 44100 = 417 bytes; padded 418.
        #expect(FileChecks.mpegFrameLength([0xFF, 0xFB, 0x90, 0x00]) == 417)
        #expect(FileChecks.mpegFrameLength([0xFF, 0xFB, 0x92, 0x00]) == 418)
        // MPEG-2 Layer III, 64 kbit/s, 16 kHz: 72 × 64000 / 16000 = 288.
        #expect(FileChecks.mpegFrameLength([0xFF, 0xF3, 0x88, 0x00]) == 288)
        // MPEG-1 Layer II, 192 kbit/s, 48 kHz: 144 × 192000 / 48000 = 576.
        #expect(FileChecks.mpegFrameLength([0xFF, 0xFD, 0xA4, 0x00]) == 576)
        // Not headers: no sync, reserved version, free-format bitrate.
        #expect(FileChecks.mpegFrameLength([0x49, 0x44, 0x33, 0x04]) == nil)
        #expect(FileChecks.mpegFrameLength([0xFF, 0xEB, 0x90, 0x00]) == nil)
        #expect(FileChecks.mpegFrameLength([0xFF, 0xFB, 0x00, 0x00]) == nil)
    }

    /// libsndfile 1.2.0 on a cut Ogg Vorbis file: cut in half, sf_open reports a malformed file; with
    /// only the tail missing it opens with unknown length and sf_readf_float returns 0 frames, no error.
    @Test func truncatedVorbis() throws {
        try withTempDir { dir in
            let path = "\(dir)/cut.ogg"
            try writeAudio(path, sine(440, rate: 16000, seconds: 3.0), rate: 16000, format: Fmt.vorbis)
            let original = try Data(contentsOf: URL(fileURLWithPath: path))

            try chopTail(path, bytes: original.count / 2)
            guard case .decodeFailed(_, let halfReason) = decodeError(path) else {
                Issue.record("half file: expected .decodeFailed")
                return
            }
            #expect(halfReason.contains("malformed"))

            try original.write(to: URL(fileURLWithPath: path))
            try chopTail(path, bytes: original.count / 10)
            #expect(try AudioDecoder.probe(path: path).declaredFrames == -1)
            guard case .decodeFailed(_, let tailReason) = decodeError(path) else {
                Issue.record("tail cut: expected .decodeFailed")
                return
            }
            #expect(tailReason.contains("returned no samples"))
        }
    }

    /// libsndfile 1.2.0 on a cut Ogg Opus file: unknown length, the pages present decode without error.
    @Test func truncatedOpus() throws {
        try withTempDir { dir in
            let path = "\(dir)/cut.opus"
            try writeAudio(path, sine(440, rate: 16000, seconds: 3.0), rate: 16000, format: Fmt.opus)
            try chopTail(path, bytes: try fileSize(path) * 3 / 10)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.info.declaredFrames == -1 && decoded.info.declaredDuration == -1)
            #expect(decoded.samples.count > 8000 && decoded.samples.count < 48000)
            guard case .possiblyTruncated(let p, let reason) = decoded.warnings.first, decoded.warnings.count == 1 else {
                Issue.record("expected one .possiblyTruncated warning, got \(decoded.warnings)")
                return
            }
            #expect(p == path)
            #expect(reason.contains("no final Ogg page"))
        }
    }

    @Test("NaN and Inf samples are errors naming the frame index")
    func nonFinite() throws {
        try withTempDir { dir in
            var mono = sine(440, rate: 16000, seconds: 1.0)
            mono[12345] = .nan
            try writeAudio("\(dir)/nan.wav", mono, rate: 16000, format: Fmt.wavFloat)
            #expect(decodeError("\(dir)/nan.wav") == .nonFiniteSample(path: "\(dir)/nan.wav", index: 12345))

            // Stereo, +Inf in the right channel of frame 5000, resampled from 48 kHz.
            var stereo = sine(440, rate: 48000, seconds: 0.5).flatMap { [$0, $0] }
            stereo[2 * 5000 + 1] = .infinity
            try writeAudio("\(dir)/inf.wav", stereo, rate: 48000, channels: 2, format: Fmt.wavDouble)
            let error = decodeError("\(dir)/inf.wav")
            #expect(error == .nonFiniteSample(path: "\(dir)/inf.wav", index: 5000))
            #expect(error?.description == "\(dir)/inf.wav: non-finite sample (NaN or Inf) at frame 5000")
        }
    }

    @Test func invalidOptions() throws {
        try withTempDir { dir in
            let path = "\(dir)/ok.wav"
            try writeAudio(path, sine(440, rate: 16000, seconds: 0.1), rate: 16000, format: Fmt.wav16)
            guard case .invalidOptions = decodeError(path, .init(targetSampleRate: 0)) else {
                Issue.record("expected .invalidOptions for rate 0")
                return
            }
            guard case .invalidOptions = decodeError(path, .init(blockFrames: 0)) else {
                Issue.record("expected .invalidOptions for blockFrames 0")
                return
            }
        }
    }
}
