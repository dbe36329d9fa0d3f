import Foundation
import LikenessRegistry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry holds names, consent and voiceprints: its files are private to their owner (0600) and its
/// folder cannot be written by others (who could replace or delete the file). A sticky folder such as
/// /tmp is safe: others cannot remove or rename our file in it.
enum FilePermissions {
    /// Makes the registry's files and folder private when we own them; throws `unsafePermissions` when
    /// others can write them and we cannot change that. Returns one sentence per change made.
    static func makePrivate(registry url: URL) throws -> [String] {
        var notices: [String] = []
        for suffix in ["", "-wal", "-shm"] {
            let path = url.path + suffix
            guard let info = status(path), info.st_mode & 0o077 != 0 else { continue }
            let mode = info.st_mode & 0o777
            guard info.st_uid == geteuid(), chmod(path, 0o600) == 0 else {
                if suffix.isEmpty || info.st_mode & 0o022 != 0 {
                    throw RegistryError.unsafePermissions(
                        location: url.path, reason: "\(path) has mode \(octal(mode)) (others can read or write it) and belongs to another user; ask its owner to run chmod 600 on it")
                }
                continue
            }
            notices.append("\(path) had mode \(octal(mode)), readable or writable by others; it is now 0600")
        }
        let folder = url.deletingLastPathComponent().path
        if let info = status(folder), info.st_mode & 0o022 != 0, info.st_mode & UInt32(S_ISVTX) == 0 {
            let mode = info.st_mode & 0o777
            guard info.st_uid == geteuid(), chmod(folder, mode & ~0o022) == 0 else {
                throw RegistryError.unsafePermissions(
                    location: url.path, reason: "its folder \(folder) has mode \(octal(mode)): other users can replace or delete the registry. Move it to a private folder or run chmod go-w on the folder")
            }
            notices.append("the registry's folder \(folder) had mode \(octal(mode)), writable by others; it is now \(octal(mode & ~0o022))")
        }
        return notices
    }

    /// The same conditions as findings, without changing anything (`registry verify`).
    static func problems(registry url: URL) -> [String] {
        var problems: [String] = []
        for suffix in ["", "-wal", "-shm"] {
            let path = url.path + suffix
            if let info = status(path), info.st_mode & 0o077 != 0 {
                problems.append("\(path) has mode \(octal(info.st_mode & 0o777)): readable or writable by others")
            }
        }
        let folder = url.deletingLastPathComponent().path
        if let info = status(folder), info.st_mode & 0o022 != 0, info.st_mode & UInt32(S_ISVTX) == 0 {
            problems.append("folder \(folder) has mode \(octal(info.st_mode & 0o777)): writable by others")
        }
        return problems
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    private static func octal(_ mode: UInt32) -> String {
        "0" + String(mode, radix: 8)
    }
}
