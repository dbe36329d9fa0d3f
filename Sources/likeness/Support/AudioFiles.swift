import Foundation
import LikenessAudio

/// Finds audio files under a folder: recursively, by content (libsndfile must open them), sorted.
/// Follows symbolic links but never visits a directory twice, so link loops end.
enum AudioFiles {
    static func find(under root: URL) -> [String] {
        var out: [String] = []
        var visited = Set<String>()
        walk(root.standardizedFileURL, &out, &visited)
        return out.sorted()
    }

    private static func walk(_ dir: URL, _ out: inout [String], _ visited: inout Set<String>) {
        let real = dir.resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = dir.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                walk(url, &out, &visited)
            } else if (try? AudioDecoder.probe(path: url.path)) != nil {
                out.append(url.path)
            }
        }
    }
}
