// Streaming SHA-256 of files (chain of custody for analysed audio, model pinning).

import Crypto

public enum FileHash {
    /// Lowercase hex SHA-256 of the file's bytes, read in 1 MiB chunks (constant memory).
    /// Throws `AudioError.fileNotFound`, `.isDirectory` or `.unreadable`.
    public static func sha256Hex(ofFile path: String) throws(AudioError) -> String {
        let file = try RawFile(path: path)
        var hasher = SHA256()
        let chunk = 1 << 20
        var offset: Int64 = 0
        while true {
            let bytes = try file.read(at: offset, count: chunk)
            if bytes.isEmpty { break }
            hasher.update(data: bytes)
            offset += Int64(bytes.count)
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
