import Foundation
import LikenessAudio
import Testing

@Suite("Block streaming")
struct StreamingTests {
    @Test("blocks concatenate to the whole-clip decode, native rate and resampled")
    func blocksMatchDecode() throws {
        try withTempDir { dir in
            let path = "\(dir)/stereo.flac"
            let left = sine(300, rate: 44100, seconds: 1.2), right = sine(700, rate: 44100, seconds: 1.2)
            try writeAudio(path, zip(left, right).flatMap { [$0, $1] }, rate: 44100, channels: 2, format: Fmt.flac16)

            for target in [nil, 16000] as [Int?] {
                let options = AudioDecodeOptions(targetSampleRate: target, blockFrames: 1000)
                let stream = try AudioStream(path: path, options: options)
                #expect(stream.outputSampleRate == (target ?? 44100))
                var blocks: [[Float]] = []
                while let block = try stream.nextBlock() { blocks.append(block) }
                #expect(try stream.nextBlock() == nil)
                #expect(stream.framesRead == 52920)
                #expect(blocks.allSatisfy { !$0.isEmpty })
                if target == nil { #expect(blocks.dropLast().allSatisfy { $0.count == 1000 }) }
                let whole = try AudioDecoder.decode(path: path, options: options)
                #expect(Array(blocks.joined()) == whole.samples)
                #expect(whole.samples.count == (target == nil ? 52920 : 19200))
            }
        }
    }

    @Test("MP3 is read until the decoder returns 0, whatever the block size")
    func mp3BlockSizes() throws {
        try withTempDir { dir in
            let path = "\(dir)/tone.mp3"
            try writeAudio(path, sine(1000, rate: 22050, seconds: 2.0), rate: 22050, format: Fmt.mp3)
            let counts = try [333, 4096, 100_000].map { size in
                try AudioDecoder.decode(path: path, options: .init(targetSampleRate: nil, blockFrames: size)).samples.count
            }
            #expect(Set(counts).count == 1, "\(counts)")
            #expect(abs(counts[0] - 44100) < 2205, "\(counts[0]) frames for 2 s")
        }
    }
}

/// Peak-memory check; serialised so its two long phases do not overlap each other.
@Suite("Bounded memory", .serialized)
struct MemoryTests {
    /// VmHWM/VmRSS from /proc/self/status in bytes.
    static func procStatus(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
            return kb.map { $0 * 1024 }
        }
        return nil
    }

    @Test("streaming a 20-minute file keeps peak RSS growth far below the decoded size",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "needs Linux /proc"))
    func twentyMinutes() throws {
        try withTempDir { dir in
            let path = "\(dir)/long.wav"
            let rate = 16000, frames = 20 * 60 * rate
            let second = sine(220, rate: rate, seconds: 1.0).map { Int16($0 * 32767) }
            try writeLongInt16(path, rate: rate, totalFrames: frames, block: second)

            // Reset the high-water mark (Linux: "5" to clear_refs), then stream and read it back.
            try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
            let before = try #require(Self.procStatus("VmRSS"))
            let stream = try AudioStream(path: path)
            var total = 0
            var largestBlock = 0
            var firstBlock: [Float] = []
            while let block = try stream.nextBlock() {
                if firstBlock.isEmpty { firstBlock = block }
                total += block.count
                largestBlock = max(largestBlock, block.count)
            }
            let peak = try #require(Self.procStatus("VmHWM"))
            let decodedBytes = frames * MemoryLayout<Float>.size
            #expect(total == frames)
            #expect(largestBlock == AudioDecodeOptions().blockFrames)
            #expect(firstBlock == second.prefix(firstBlock.count).map { Float($0) / 32768 })
            // Other test suites share this process, so allow slack; a whole-clip decode would add 77 MB.
            #expect(peak - before < decodedBytes / 4,
                    "peak RSS grew \((peak - before) >> 20) MiB while streaming \(decodedBytes >> 20) MiB of samples")
        }
    }
}

@Suite("File hashing")
struct FileHashTests {
    @Test func knownVectorAndMultiChunkFile() throws {
        try withTempDir { dir in
            try writeBytes("\(dir)/abc", Array("abc".utf8))
            #expect(try FileHash.sha256Hex(ofFile: "\(dir)/abc")
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            try writeBytes("\(dir)/empty", [])
            #expect(try FileHash.sha256Hex(ofFile: "\(dir)/empty")
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

            // 2.5 MiB spans three 1 MiB chunks; compare with coreutils.
            let big = "\(dir)/big.bin"
            try writeBytes(big, (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [big]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: " ").first.map(String.init)
            #expect(try FileHash.sha256Hex(ofFile: big) == expected)
        }
    }

    @Test func errors() throws {
        try withTempDir { dir in
            #expect(throws: AudioError.fileNotFound(path: "\(dir)/x")) { try FileHash.sha256Hex(ofFile: "\(dir)/x") }
            #expect(throws: AudioError.isDirectory(path: dir)) { try FileHash.sha256Hex(ofFile: dir) }
        }
    }
}
