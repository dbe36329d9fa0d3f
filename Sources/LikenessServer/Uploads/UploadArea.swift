import Foundation
import HTTPTypes
import NIOCore

/// The one folder uploads are written to, for as long as a request is processed. Each request gets a folder of
/// its own (a random name) holding one sub-folder per file, so a file keeps the client's base name (which the
/// registry records as the clip's file name) made safe by `safeName`; nothing is ever written elsewhere, and
/// `UploadBatch.remove` deletes the request's folder when the request ends, whatever its outcome.
public struct UploadArea: Sendable {
    public let root: URL

    /// Creates `root` (mode 0700) when missing.
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Writes the files of one request; the caller removes the batch when done (also when this throws halfway:
    /// it removes what it wrote).
    func store(_ files: [MultipartForm.File]) throws -> UploadBatch {
        let folder = root.appendingPathComponent(UUID().uuidString, isDirectory: true)
        let batch = UploadBatch(folder: folder)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            var paths: [String] = []
            for (i, file) in files.enumerated() {
                let dir = folder.appendingPathComponent("\(i + 1)", isDirectory: true)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
                let url = dir.appendingPathComponent(Self.safeName(file.clientName, index: i + 1)).standardizedFileURL
                // safeName leaves no separator or dot-dot; checked again because this is the one write.
                guard url.path.hasPrefix(dir.path + "/") else { throw APIError(.badRequest, "file name '\(file.clientName)' is not allowed") }
                let data = Data(file.data.readableBytesView)
                guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                    throw APIError(.internalServerError, "could not store the upload")
                }
                paths.append(url.path)
            }
            batch.paths = paths
            return batch
        } catch {
            batch.remove()
            throw error
        }
    }

    /// The client's file name reduced to a harmless base name: the part after the last `/` or `\`, letters,
    /// digits, `.`, `-`, `_` and spaces only (others become `_`), no leading dots or spaces, at most 100
    /// characters; `clip-N` when nothing is left.
    static func safeName(_ name: String, index: Int) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_ "))
        var cleaned = String(String.UnicodeScalarView(base.unicodeScalars.map {
            $0.isASCII && allowed.contains($0) ? $0 : "_"
        }))
        while cleaned.hasPrefix(".") || cleaned.hasPrefix(" ") { cleaned.removeFirst() }
        cleaned = String(cleaned.prefix(100)).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty || cleaned.allSatisfy({ $0 == "_" || $0 == "." }) ? "clip-\(index)" : cleaned
    }
}

/// One request's stored files.
final class UploadBatch: @unchecked Sendable {
    let folder: URL
    /// The stored files, in the order sent.
    fileprivate(set) var paths: [String] = []

    init(folder: URL) { self.folder = folder }

    /// Deletes the request's folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// `text` with every stored path shortened to the file's base name, so no path of this machine reaches a
    /// response (results and errors name clips by the paths the use cases were given).
    func scrub(_ text: String) -> String {
        var text = text
        for path in paths {
            text = text.replacingOccurrences(of: path, with: URL(fileURLWithPath: path).lastPathComponent)
        }
        return text.replacingOccurrences(of: folder.path, with: "upload")
    }
}
