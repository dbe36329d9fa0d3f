import LikenessAudio

/// Decodes a file again (16 kHz mono) and hands over the samples of given ranges, one range at a time, in order:
/// what the second pass of a two-stage scan (`ConfirmPass`) and the synthetic-speech check of hits
/// (`ScanSyntheticCheck`) read. Only one range's samples are held at once; decoding stops after the last range.
enum RangeReader {
    /// `ranges`: samples from the start of the file, in time order, not overlapping. `each(samples)` is called
    /// once per range that has audio, in order; a range past the end of the audio (the file decoded shorter this time) comes
    /// cut at the end, and ranges after that are not called.
    static func read(path: String, ranges: [Range<Int>], each: ([Float]) throws -> Void) throws {
        guard !ranges.isEmpty else { return }
        let stream = try AudioStream(path: path, options: AudioDecodeOptions(targetSampleRate: 16000))
        var next = 0, offset = 0
        var current: [Float] = []
        while next < ranges.count, let block = try stream.nextBlock() {
            let blockRange = offset..<(offset + block.count)
            // A block may hold the end of one range and the start (or all) of the next ones.
            while next < ranges.count {
                let overlap = ranges[next].clamped(to: blockRange)
                if !overlap.isEmpty { current += block[(overlap.lowerBound - offset)..<(overlap.upperBound - offset)] }
                guard ranges[next].upperBound <= blockRange.upperBound else { break }
                try each(current)
                current.removeAll(keepingCapacity: true)
                next += 1
            }
            offset = blockRange.upperBound
        }
        if next < ranges.count, !current.isEmpty { try each(current) }
    }
}
