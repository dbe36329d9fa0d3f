import Foundation

/// One part of a scan split across machines without a database (`scan --shard K/N`): Kubernetes Indexed Jobs,
/// Slurm job arrays. Every machine lists the same files and keeps those whose shard is K.
///
/// A file's shard is the 64-bit FNV-1a hash of its path as listed (its bytes) modulo N, so the
/// split is the same on every machine and every run, the N shards are disjoint and their union is the whole
/// scan. The path, not the content, is hashed: hashing content would make every shard read every file. Run the
/// shards with the same paths (same mounts and arguments); a file listed under another path may land in
/// another shard.
public struct ScanShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based, as in `--shard 1/4`.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw ScanShardError(text: "\(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "K/N" with 1 <= K <= N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw ScanShardError(text: text) }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// The 1-based shard of `path` among `count`.
    public static func shard(of path: ScanPath, count: Int) -> Int {
        // FNV-1a (offset basis and prime of the 64-bit variant): fixed, so shards agree across machines and releases.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(count)) + 1
    }

    public func contains(_ path: ScanPath) -> Bool { Self.shard(of: path, count: count) == index }

    /// The items of this shard, in their listed order.
    public func select(_ items: [ScanItem]) -> [ScanItem] { items.filter { contains($0.path) } }
}

public struct ScanShardError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "--shard \(text): expected K/N with 1 <= K <= N (e.g. --shard 2/8)" }
}
