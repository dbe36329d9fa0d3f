import Foundation

/// The rule for every file a command writes: an existing file is never replaced without `--force`, and an input
/// of the command (the questioned clip, a trial list, the registry) is never replaced, even with it. A report
/// written over the clip it reports on destroys the evidence.
public enum OutputFile {
    /// Throws `LikenessError.invalidInput` naming the option and the file when writing `path` is not allowed.
    /// Call it before any work, so a refusal costs nothing.
    public static func check(_ path: String, option: String, force: Bool, inputs: [String] = []) throws {
        for input in inputs where same(path, input) {
            throw LikenessError.invalidInput("\(option) \(path) is an input of this command (\(input)); it is never overwritten, choose another file")
        }
        if FileManager.default.fileExists(atPath: path) && !force {
            throw LikenessError.invalidInput("\(option) \(path) already exists; choose another file, or add --force to replace it")
        }
    }

    /// The same file: the same device and inode when both exist (hard links, symlinks, `./a` and `a`), else the
    /// same resolved path.
    static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0 && stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        let resolve = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        return resolve(a) == resolve(b)
    }
}
