// The only file that calls libsoxr.

import CSoxr

/// Streaming, band-limited sample-rate converter for mono Float samples (libsoxr).
///
/// Quality is libsoxr's HQ recipe, `soxr_quality_spec(SOXR_HQ, 0)` (20-bit, steep anti-alias
/// low-pass just below the lower Nyquist), the recipe librosa's default `res_type="soxr_hq"`
/// uses through python-soxr. Feed blocks with `process`, then call `flush` once: the total output
/// is then exactly `ceil(inputCount * outputRate / inputRate)` samples (librosa's `fix_length`
/// target), trimmed or zero-padded by at most a few samples of filter tail.
/// One instance per stream; not Sendable (owns a `soxr_t`).
public final class Resampler {
    public let inputRate: Int
    public let outputRate: Int
    private let soxr: soxr_t
    private var inputCount: Int64 = 0
    private var outputCount: Int64 = 0
    private var flushed = false

    public init(from inputRate: Int, to outputRate: Int) throws(AudioError) {
        guard inputRate > 0, outputRate > 0 else {
            throw .resampleFailed(reason: "sample rates must be positive (got \(inputRate) -> \(outputRate) Hz)")
        }
        var error: soxr_error_t?
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        // nil io/runtime specs: interleaved float32 in and out, single thread (libsoxr defaults).
        guard let s = soxr_create(Double(inputRate), Double(outputRate), 1, &error, nil, &quality, nil),
              error == nil else {
            throw .resampleFailed(reason: "soxr_create: \(error.map { String(cString: $0) } ?? "unknown error")")
        }
        soxr = s
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    deinit { soxr_delete(soxr) }

    /// Output samples owed for the input seen so far: ceil(inputCount * out / in).
    public var expectedOutputCount: Int64 {
        (inputCount * Int64(outputRate) + Int64(inputRate) - 1) / Int64(inputRate)
    }

    /// Resamples the next block. Output lags input by the filter delay, so early blocks can be
    /// short or empty; `flush` delivers the rest.
    public func process(_ input: [Float]) throws(AudioError) -> [Float] {
        guard !flushed else { throw .resampleFailed(reason: "process called after flush") }
        if input.isEmpty { return [] }
        inputCount += Int64(input.count)
        let capacity = Int(Double(input.count) * Double(outputRate) / Double(inputRate)) + 64
        var output: [Float] = []
        output.reserveCapacity(capacity)
        var buffer = [Float](repeating: 0, count: capacity)
        var consumed = 0
        while true {
            var idone = 0
            var odone = 0
            let error = input.withUnsafeBufferPointer { inp in
                buffer.withUnsafeMutableBufferPointer { out in
                    soxr_process(soxr, inp.baseAddress! + consumed, inp.count - consumed, &idone,
                                 out.baseAddress, capacity, &odone)
                }
            }
            if let error { throw .resampleFailed(reason: "soxr_process: \(String(cString: error))") }
            consumed += idone
            output.append(contentsOf: buffer[0..<odone])
            if consumed >= input.count && odone < capacity { break }
            if idone == 0 && odone == 0 { throw .resampleFailed(reason: "soxr_process made no progress") }
        }
        return emit(output)
    }

    /// Signals end of input and returns the remaining samples, so that the total output is exactly
    /// `expectedOutputCount`. Call once.
    public func flush() throws(AudioError) -> [Float] {
        guard !flushed else { return [] }
        flushed = true
        let capacity = 4096
        var buffer = [Float](repeating: 0, count: capacity)
        var output: [Float] = []
        while true {
            var odone = 0
            let error = buffer.withUnsafeMutableBufferPointer { out in
                soxr_process(soxr, nil, 0, nil, out.baseAddress, capacity, &odone)
            }
            if let error { throw .resampleFailed(reason: "soxr_process (flush): \(String(cString: error))") }
            if odone == 0 { break }
            output.append(contentsOf: buffer[0..<odone])
        }
        let owed = Int(expectedOutputCount - outputCount)
        if output.count < owed { output.append(contentsOf: repeatElement(0, count: owed - output.count)) }
        return emit(output)
    }

    /// Caps the running total at `expectedOutputCount` and counts what is returned.
    private func emit(_ samples: [Float]) -> [Float] {
        let room = Int(max(0, expectedOutputCount - outputCount))
        let out = samples.count > room ? Array(samples.prefix(room)) : samples
        outputCount += Int64(out.count)
        return out
    }

    /// One-shot conversion of a whole signal (returned unchanged when the rates are equal).
    /// Output length is `ceil(samples.count * to / from)`.
    public static func resample(_ samples: [Float], from: Int, to: Int) throws(AudioError) -> [Float] {
        if from == to && from > 0 { return samples }
        let resampler = try Resampler(from: from, to: to)
        var out = try resampler.process(samples)
        out += try resampler.flush()
        return out
    }
}
