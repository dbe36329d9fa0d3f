import Foundation
import LikenessScan
import Testing

enum Support {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var modelURL: URL {
        ProcessInfo.processInfo.environment["LIKENESS_MODEL"].map { URL(fileURLWithPath: $0) }
            ?? repoRoot.appendingPathComponent("models/ge2e-resemblyzer-0.1.4.safetensors")
    }

    static var modelPresent: Bool { FileManager.default.fileExists(atPath: modelURL.path) }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A mono 16-bit WAV written by hand (the fixture does not depend on the code under test).
    static func writeWAV(_ samples: [Float], sampleRate: Int = 16000, to url: URL) throws {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let bytes = UInt32(samples.count * 2)
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(sampleRate))
        u32(UInt32(sampleRate * 2)); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(bytes)
        for s in samples {
            let v = Int16(max(-32768, min(32767, (s * 32767).rounded())))
            withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) }
        }
        try d.write(to: url)
    }

    /// Creates a file whose name is raw bytes (possibly not UTF-8) with open(2).
    static func createFile(in dir: URL, nameBytes: [UInt8], contents: [UInt8]) throws -> ScanPath {
        let path = ScanPath(dir.path).appending(nameBytes)
        let fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        try #require(fd >= 0, "cannot create the fixture file")
        defer { close(fd) }
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try #require(written == contents.count)
        return path
    }

    static func record(file: String, sha: String?, kind: ScanRecord.Kind = .noHit, row: Int = 1, rows: Int = 1) throws -> ScanRecord {
        let json = """
        {"kind":"\(kind.rawValue)","file":\(String(decoding: try JSONEncoder().encode(file), as: UTF8.self)),\
        \(sha.map { "\"sha256\":\"\($0)\"," } ?? "")"seconds":0.5,"row":\(row),"rows":\(rows),\
        "model_id":"m","scanned_at":"2026-01-01T00:00:00Z"}
        """
        return try JSONDecoder().decode(ScanRecord.self, from: Data(json.utf8))
    }
}
