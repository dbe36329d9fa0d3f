import Foundation
import LikenessAudio

/// One file to scan, as listed before anything is decoded.
public struct ScanItem: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Named on the command line or in a manifest: always gets a row, even when it is not audio.
        case named
        /// Found by walking a folder: a file libsndfile cannot open gets a row only when its extension
        /// says it should be audio (so a README.txt makes no noise).
        case found
    }

    public var path: ScanPath
    public var origin: Origin
    /// A problem found while listing (missing file, symbolic-link loop, unreadable folder); the item
    /// is then reported as an error row with this cause and never opened.
    public var problem: String?

    public init(path: ScanPath, origin: Origin, problem: String? = nil) {
        self.path = path
        self.origin = origin
        self.problem = problem
    }

    /// Whether a failure to open this file as audio is reported (else the file is ignored).
    public var reportsNonAudio: Bool {
        origin == .named || path.pathExtension.map(ScanWalker.audioExtensions.contains) == true
    }
}

/// Lists the files of a scan: named files, manifests (one path a line, relative to the manifest's
/// folder) and folders walked recursively.
///
/// The walk uses POSIX `opendir`/`readdir`/`stat` on byte paths, so names that are not UTF-8 are
/// kept intact. It follows symbolic links but enters each directory (device, inode) once, so link
/// loops end; a file reached twice (through a link, or named twice) is listed once. Hidden entries
/// (leading ".") are skipped in walked folders. Folders are listed in byte order; named items keep
/// the order given.
public enum ScanWalker {
    /// Extensions of files that are meant to be audio: when walking, such a file that libsndfile cannot
    /// open is reported ("not audio"), any other unopenable file is ignored.
    public static let audioExtensions: Set<String> = [
        "wav", "flac", "mp3", "ogg", "opus", "m4a", "aac", "aiff", "aif", "caf", "w64", "rf64",
    ]

    /// Every item named by `arguments` and `manifests`, folders expanded. Problems with individual
    /// paths become items with `problem` set; only an unreadable manifest throws (`ScanInputError`).
    public static func items(arguments: [ScanPath], manifests: [ScanPath] = []) throws -> [ScanItem] {
        var named = arguments
        for manifest in manifests { named += try manifestEntries(manifest) }
        var state = WalkState()
        for path in named { state.add(named: path) }
        return state.items
    }

    /// The audio files under a folder (those libsndfile can open; hidden entries skipped, links followed
    /// without loops), as sorted path strings. For commands that take a folder of clips (`cohort build`).
    public static func audioFiles(under folder: String) throws -> [String] {
        try items(arguments: [ScanPath(folder)])
            .filter { $0.problem == nil && $0.origin == .found }
            .compactMap { item in item.path.string.flatMap { (try? AudioDecoder.probe(path: $0)) != nil ? $0 : nil } }
            .sorted()
    }

    /// The paths a manifest lists: one per line (LF or CRLF), blank lines and lines starting with "#"
    /// ignored, relative paths resolved against the manifest's folder. Bytes are kept as they are.
    public static func manifestEntries(_ manifest: ScanPath) throws -> [ScanPath] {
        let data: Data
        do {
            data = try manifest.withOpenablePath { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        } catch {
            throw ScanInputError.unreadableManifest(path: manifest.display, reason: "\(error.localizedDescription)")
        }
        let folder = manifest.parent
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).compactMap { line in
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard !bytes.isEmpty, bytes.first != UInt8(ascii: "#"),
                  !bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else { return nil }
            let path = ScanPath(bytes: bytes)
            return path.isAbsolute ? path : folder.appending(bytes)
        }
    }

    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    private struct WalkState {
        var items: [ScanItem] = []
        var visitedDirectories = Set<FileID>()
        var listedFiles = Set<FileID>()

        mutating func add(named path: ScanPath) {
            switch Self.status(path) {
            case .failure(let cause):
                items.append(ScanItem(path: path, origin: .named, problem: cause.text))
            case .success(let st):
                let type = st.st_mode & S_IFMT
                if type == S_IFDIR {
                    walk(path, st)
                } else if type == S_IFREG {
                    if listedFiles.insert(FileID(st)).inserted { items.append(ScanItem(path: path, origin: .named)) }
                } else {
                    items.append(ScanItem(path: path, origin: .named, problem: "not a regular file"))
                }
            }
        }

        private mutating func walk(_ dir: ScanPath, _ st: stat) {
            guard visitedDirectories.insert(FileID(st)).inserted else { return }
            let names: [[UInt8]]
            switch Self.list(dir) {
            case .failure(let cause):
                items.append(ScanItem(path: dir, origin: .named, problem: "cannot read folder: \(cause.text)"))
                return
            case .success(let list):
                names = list
            }
            for name in names {
                let path = dir.appending(name)
                let candidate = ScanItem(path: path, origin: .found)
                switch Self.status(path) {
                case .failure(let cause):
                    if candidate.reportsNonAudio { items.append(ScanItem(path: path, origin: .found, problem: cause.text)) }
                case .success(let st):
                    let type = st.st_mode & S_IFMT
                    if type == S_IFDIR {
                        walk(path, st)
                    } else if type == S_IFREG {
                        if listedFiles.insert(FileID(st)).inserted { items.append(candidate) }
                    } else if candidate.reportsNonAudio {
                        items.append(ScanItem(path: path, origin: .found, problem: "not a regular file"))
                    }
                }
            }
        }

        /// `stat` (following links), with the cause in words on failure.
        static func status(_ path: ScanPath) -> Result<stat, Cause> {
            var st = stat()
            if path.withCString({ stat($0, &st) }) == 0 { return .success(st) }
            let err = errno
            var lst = stat()
            let isLink = path.withCString { lstat($0, &lst) } == 0 && (lst.st_mode & S_IFMT) == S_IFLNK
            switch err {
            case ELOOP: return .failure(Cause("symbolic link loop"))
            case ENOENT where isLink: return .failure(Cause("broken symbolic link (its target does not exist)"))
            case ENOENT, ENOTDIR: return .failure(Cause("no such file or directory"))
            default: return .failure(Cause(String(cString: strerror(err))))
            }
        }

        /// The entries of a folder, sorted by bytes, without "." / ".." and hidden names.
        static func list(_ dir: ScanPath) -> Result<[[UInt8]], Cause> {
            guard let handle = dir.withCString({ opendir($0) }) else {
                return .failure(Cause(String(cString: strerror(errno))))
            }
            defer { closedir(handle) }
            var names: [[UInt8]] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                    Array(raw.prefix(while: { $0 != 0 }))
                }
                if name.isEmpty || name.first == UInt8(ascii: ".") { continue }
                names.append(name)
            }
            return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    struct Cause: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }
}

/// Problems with the scan's inputs that stop it before it starts.
public enum ScanInputError: Error, Sendable, CustomStringConvertible, LocalizedError {
    case unreadableManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableManifest(let path, let reason): "\(path): cannot read the manifest: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
