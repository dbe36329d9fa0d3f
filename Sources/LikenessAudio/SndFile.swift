// The only file that calls libsndfile. Owns one SNDFILE* opened for reading.

import CMPG123Quiet
import CSndFile
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A libsndfile handle opened for reading, with samples delivered as normalised Float
/// (`SFC_SET_NORM_FLOAT` on: int16 reads as x/32768; float/double data is passed through).
/// Not Sendable: one stream, one owner.
final class SndFile {
    let path: String
    let sampleRate: Int
    let channels: Int
    /// Frames libsndfile reports at open (`SF_COUNT_MAX` when unknown, an estimate for MPEG).
    let frames: Int64
    let majorFormat: Int32
    let subFormat: Int32
    private var handle: OpaquePointer?

    /// sf_open reports failures through process-global state (sf_error(NULL), sf_strerror(NULL)),
    /// so concurrent failing opens would read each other's messages: serialise opens.
    private static let openLock = NSLock()

    /// Whether libsndfile's mpg123 decoder has been made quiet in this process (`CMPG123Quiet`): true after
    /// the first MPEG open when the interposition took effect. mpg123 otherwise prints "Note: ..." lines while
    /// it probes a file that is not MPEG audio and while it resyncs in a damaged one; our errors and warnings
    /// say what is wrong in the file's terms.
    static var decoderChatterSilenced: Bool { likeness_mpg123_quieted() != 0 }

    /// Opens `path`; maps libsndfile's open errors to `AudioError`.
    init(path: String) throws(AudioError) {
        var info = SF_INFO()
        let opened: Result<OpaquePointer, AudioError> = SndFile.openLock.withLock {
            let h = sf_open(path, Int32(SFM_READ), &info)
            if let h { return .success(h) }
            let code = sf_error(nil)
            let message = String(cString: sf_strerror(nil))
            return .failure(SndFile.openError(path: path, code: code, message: message))
        }
        let h = try opened.get()
        handle = h
        self.path = path
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        frames = info.frames
        majorFormat = info.format & Int32(SF_FORMAT_TYPEMASK)
        subFormat = info.format & Int32(SF_FORMAT_SUBMASK)
        // Normalised float is libsndfile's default; set it explicitly because the scale is our contract.
        sf_command(h, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    deinit { close() }

    func close() {
        if let h = handle { sf_close(h) }
        handle = nil
    }

    /// `SF_FORMAT_*` names; a format newer than these tables shows as its hex code.
    var containerName: String { SndFile.containerNames[majorFormat] ?? "0x" + String(majorFormat, radix: 16) }
    var encodingName: String { SndFile.encodingNames[subFormat] ?? "0x" + String(subFormat, radix: 16) }
    var isMPEG: Bool { majorFormat == Int32(SF_FORMAT_MPEG) }
    /// True for uncompressed encodings, whose frame count is data bytes / block align.
    var isUncompressed: Bool {
        [SF_FORMAT_PCM_S8, SF_FORMAT_PCM_U8, SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_PCM_32,
         SF_FORMAT_FLOAT, SF_FORMAT_DOUBLE, SF_FORMAT_ULAW, SF_FORMAT_ALAW].map(Int32.init).contains(subFormat)
    }

    /// Reads up to `count` interleaved frames into `buffer`. A short read is checked with sf_error
    /// at once: an error becomes `.decodeFailed`; otherwise a short read means end of data.
    func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, count: Int) throws(AudioError) -> Int {
        guard let h = handle, let base = buffer.baseAddress else { return 0 }
        precondition(buffer.count >= count * channels, "read buffer too small")
        let n = Int(sf_readf_float(h, base, sf_count_t(count)))
        if n < count {
            let code = sf_error(h)
            if code != 0 {
                throw .decodeFailed(path: path, reason: "\(String(cString: sf_strerror(h))) (libsndfile error \(code))")
            }
        }
        return n
    }

    private static func openError(path: String, code: Int32, message: String) -> AudioError {
        switch Int(code) {
        case SF_ERR_UNRECOGNISED_FORMAT:
            return .notAudio(path: path, reason: message)
        case SF_ERR_SYSTEM:
            return .unreadable(path: path, reason: message)
        case SF_ERR_UNSUPPORTED_ENCODING:
            return .unsupportedFormat(path: path, format: "(encoding rejected by libsndfile)",
                                      advice: "\(message) \(FileChecks.convertAdvice)")
        case SF_ERR_MALFORMED_FILE:
            return .decodeFailed(path: path, reason: "\(message) (truncated or corrupt header)")
        default:
            // libsndfile's internal codes (e.g. a file named .mp3 that mpg123 finds no MPEG frames in). The path
            // was already checked to be a readable regular file, so its "does not exist or is not a regular
            // file" message is wrong here: the contents are the problem.
            return .notAudio(path: path, reason: "its contents are not audio in a format libsndfile decodes (WAV, FLAC, OGG, Opus, MP3, AIFF, ...), "
                + "whatever its extension says (libsndfile error \(code))")
        }
    }

    private static let containerNames: [Int32: String] = [
        SF_FORMAT_WAV: "WAV", SF_FORMAT_AIFF: "AIFF", SF_FORMAT_AU: "AU", SF_FORMAT_RAW: "RAW",
        SF_FORMAT_PAF: "PAF", SF_FORMAT_SVX: "SVX", SF_FORMAT_NIST: "NIST", SF_FORMAT_VOC: "VOC",
        SF_FORMAT_IRCAM: "IRCAM", SF_FORMAT_W64: "W64", SF_FORMAT_MAT4: "MAT4", SF_FORMAT_MAT5: "MAT5",
        SF_FORMAT_PVF: "PVF", SF_FORMAT_XI: "XI", SF_FORMAT_HTK: "HTK", SF_FORMAT_SDS: "SDS",
        SF_FORMAT_AVR: "AVR", SF_FORMAT_WAVEX: "WAVEX", SF_FORMAT_SD2: "SD2", SF_FORMAT_FLAC: "FLAC",
        SF_FORMAT_CAF: "CAF", SF_FORMAT_WVE: "WVE", SF_FORMAT_OGG: "OGG", SF_FORMAT_MPC2K: "MPC2K",
        SF_FORMAT_RF64: "RF64", SF_FORMAT_MPEG: "MPEG",
    ].reduce(into: [:]) { $0[Int32($1.key)] = $1.value }

    private static let encodingNames: [Int32: String] = [
        SF_FORMAT_PCM_S8: "PCM_S8", SF_FORMAT_PCM_16: "PCM_16", SF_FORMAT_PCM_24: "PCM_24",
        SF_FORMAT_PCM_32: "PCM_32", SF_FORMAT_PCM_U8: "PCM_U8", SF_FORMAT_FLOAT: "FLOAT",
        SF_FORMAT_DOUBLE: "DOUBLE", SF_FORMAT_ULAW: "ULAW", SF_FORMAT_ALAW: "ALAW",
        SF_FORMAT_IMA_ADPCM: "IMA_ADPCM", SF_FORMAT_MS_ADPCM: "MS_ADPCM", SF_FORMAT_GSM610: "GSM610",
        SF_FORMAT_VOX_ADPCM: "VOX_ADPCM", SF_FORMAT_NMS_ADPCM_16: "NMS_ADPCM_16",
        SF_FORMAT_NMS_ADPCM_24: "NMS_ADPCM_24", SF_FORMAT_NMS_ADPCM_32: "NMS_ADPCM_32",
        SF_FORMAT_G721_32: "G721_32", SF_FORMAT_G723_24: "G723_24", SF_FORMAT_G723_40: "G723_40",
        SF_FORMAT_DWVW_12: "DWVW_12", SF_FORMAT_DWVW_16: "DWVW_16", SF_FORMAT_DWVW_24: "DWVW_24",
        SF_FORMAT_DWVW_N: "DWVW_N", SF_FORMAT_DPCM_8: "DPCM_8",
        SF_FORMAT_DPCM_16: "DPCM_16", SF_FORMAT_VORBIS: "VORBIS", SF_FORMAT_OPUS: "OPUS",
        SF_FORMAT_ALAC_16: "ALAC_16", SF_FORMAT_ALAC_20: "ALAC_20", SF_FORMAT_ALAC_24: "ALAC_24",
        SF_FORMAT_ALAC_32: "ALAC_32", SF_FORMAT_MPEG_LAYER_I: "MPEG_LAYER_I",
        SF_FORMAT_MPEG_LAYER_II: "MPEG_LAYER_II", SF_FORMAT_MPEG_LAYER_III: "MPEG_LAYER_III",
    ].reduce(into: [:]) { $0[Int32($1.key)] = $1.value }
}
