// Test fixtures written with libsndfile into a per-test temporary directory, and signal measurements.

import CSndFile
import Foundation
import LikenessAudio
import Testing

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTempDir<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("likeness-audio-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// libsndfile major|minor format codes used by the tests.
enum Fmt {
    static func code(_ major: Int, _ minor: Int) -> Int32 { Int32(major | minor) }
    static let wav16 = code(SF_FORMAT_WAV, SF_FORMAT_PCM_16)
    static let wavU8 = code(SF_FORMAT_WAV, SF_FORMAT_PCM_U8)
    static let wav24 = code(SF_FORMAT_WAV, SF_FORMAT_PCM_24)
    static let wav32 = code(SF_FORMAT_WAV, SF_FORMAT_PCM_32)
    static let wavFloat = code(SF_FORMAT_WAV, SF_FORMAT_FLOAT)
    static let wavDouble = code(SF_FORMAT_WAV, SF_FORMAT_DOUBLE)
    static let flac16 = code(SF_FORMAT_FLAC, SF_FORMAT_PCM_16)
    static let vorbis = code(SF_FORMAT_OGG, SF_FORMAT_VORBIS)
    static let opus = code(SF_FORMAT_OGG, SF_FORMAT_OPUS)
    static let mp3 = code(SF_FORMAT_MPEG, SF_FORMAT_MPEG_LAYER_III)
    static let aiff16 = code(SF_FORMAT_AIFF, SF_FORMAT_PCM_16)
    static let caf16 = code(SF_FORMAT_CAF, SF_FORMAT_PCM_16)
    static let w64_16 = code(SF_FORMAT_W64, SF_FORMAT_PCM_16)
    static let w64Float = code(SF_FORMAT_W64, SF_FORMAT_FLOAT)
    static let rf64_16 = code(SF_FORMAT_RF64, SF_FORMAT_PCM_16)
}

/// Writes interleaved samples with libsndfile (float input; libsndfile converts to the subtype).
func writeAudio(_ path: String, _ interleaved: [Float], rate: Int, channels: Int = 1, format: Int32) throws {
    try withSndFile(path, rate: rate, channels: channels, format: format) { h in
        interleaved.withUnsafeBufferPointer { p in
            _ = sf_writef_float(h, p.baseAddress, sf_count_t(interleaved.count / channels))
        }
    }
}

/// Writes int16 samples verbatim (mono PCM_16 WAV), to check the exact read scale.
func writeInt16WAV(_ path: String, _ samples: [Int16], rate: Int) throws {
    try withSndFile(path, rate: rate, channels: 1, format: Fmt.wav16) { h in
        samples.withUnsafeBufferPointer { p in _ = sf_writef_short(h, p.baseAddress, sf_count_t(samples.count)) }
    }
}

/// Opens `path` for writing, runs `body` with the handle (which may write in many blocks), closes.
func withSndFile(_ path: String, rate: Int, channels: Int, format: Int32, _ body: (OpaquePointer) throws -> Void) throws {
    var info = SF_INFO()
    info.samplerate = Int32(rate)
    info.channels = Int32(channels)
    info.format = format
    guard sf_format_check(&info) != 0 else {
        throw FixtureError(description: "libsndfile cannot write format 0x\(String(format, radix: 16)) at \(rate) Hz")
    }
    guard let h = sf_open(path, Int32(SFM_WRITE), &info) else {
        throw FixtureError(description: "sf_open(write) \(path): \(String(cString: sf_strerror(nil)))")
    }
    defer { sf_close(h) }
    try body(h)
}

/// Writes `totalFrames` of int16 mono by repeating `block` (constant memory, any length).
func writeLongInt16(_ path: String, rate: Int, totalFrames: Int, block: [Int16]) throws {
    try withSndFile(path, rate: rate, channels: 1, format: Fmt.wav16) { h in
        var written = 0
        try block.withUnsafeBufferPointer { p in
            while written < totalFrames {
                let n = min(block.count, totalFrames - written)
                guard sf_writef_short(h, p.baseAddress, sf_count_t(n)) == n else {
                    throw FixtureError(description: "short write to \(path)")
                }
                written += n
            }
        }
    }
}

func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Cuts the last `count` bytes off a file.
func chopTail(_ path: String, bytes count: Int) throws {
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    guard truncate(path, off_t(size - count)) == 0 else {
        throw FixtureError(description: "truncate \(path) failed")
    }
}

func fileSize(_ path: String) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
}

// MARK: - Signals and measurements

func sine(_ frequency: Double, rate: Int, seconds: Double, amplitude: Float = 0.5) -> [Float] {
    let n = Int((Double(rate) * seconds).rounded())
    return (0..<n).map { amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
}

func rms<C: Collection>(_ x: C) -> Double where C.Element == Float {
    guard !x.isEmpty else { return 0 }
    return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
}

/// The middle `fraction` of a signal, away from filter onset/offset transients.
func middle(_ x: [Float], fraction: Double = 0.5) -> ArraySlice<Float> {
    let margin = Int(Double(x.count) * (1 - fraction) / 2)
    return x[margin..<(x.count - margin)]
}

/// Frequency from interpolated upward zero crossings: (crossings - 1) cycles between the first and last.
func estimateFrequency(_ x: ArraySlice<Float>, rate: Int) -> Double {
    var crossings: [Double] = []
    var i = x.startIndex
    while i + 1 < x.endIndex {
        let a = x[i], b = x[i + 1]
        if a < 0 && b >= 0 { crossings.append(Double(i) + Double(-a / (b - a))) }
        i += 1
    }
    guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
    return Double(crossings.count - 1) * Double(rate) / (last - first)
}
