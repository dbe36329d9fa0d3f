import Crypto
import Foundation

/// Streaming SHA-256 of a file, so hashing a wheel or model never holds the whole file in memory.
public enum FileDigest {
    /// Lower-case hex SHA-256 of the file at `url`.
    public static func sha256Hex(of url: URL, chunkSize: Int = 1 << 20) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
