import Foundation

/// What an output being resumed already holds: the files to skip.
///
/// A file is skipped when a record with its SHA-256 exists (so a renamed or moved copy is skipped too,
/// and a file that failed for a reason in its content — not audio, too little speech — is not retried),
/// or, for a file that could not even be read (no SHA-256), when an error record has its path.
/// Delete a file's lines from the output to have it scanned again.
public struct ResumeIndex: Sendable {
    public let records: [ScanRecord]
    private let sha256s: Set<String>
    private let unhashedPaths: Set<String>

    public init(records: [ScanRecord]) {
        self.records = records
        sha256s = Set(records.compactMap(\.sha256))
        unhashedPaths = Set(records.filter { $0.sha256 == nil }.map(\.file))
    }

    /// Files (distinct SHA-256s and unreadable paths) the output holds.
    public var fileCount: Int { sha256s.count + unhashedPaths.count }

    public func contains(sha256: String?, path: String) -> Bool {
        if let sha256 { return sha256s.contains(sha256) }
        return unhashedPaths.contains(path)
    }

    /// Throws unless the output's latest rows (those of the run that wrote last) were made with the same
    /// model and settings: `ScanOutputError.settingsChanged` naming what differs, or
    /// `ScanOutputError.settingsUnknown` for rows that do not record their settings. An empty output passes.
    public func checkSettings(_ settings: ScanSettings, modelID: String, path: String) throws {
        guard let last = records.last else { return }
        var differences: [String] = []
        if last.modelID != modelID { differences.append("model \(last.modelID) (this run: \(modelID))") }
        guard let recorded = last.settings else {
            if !differences.isEmpty { throw ScanOutputError.settingsChanged(path: path, differences: differences) }
            throw ScanOutputError.settingsUnknown(path: path)
        }
        differences += settings.differences(from: recorded)
        if !differences.isEmpty { throw ScanOutputError.settingsChanged(path: path, differences: differences) }
    }
}

/// Where records go: an output file opened for appending, or standard output.
///
/// Each file's records are written by one `write(2)` of whole lines, followed by `fsync`, under a lock, so
/// records appear in completion order, a kill loses at most the files in flight, and earlier lines are
/// never touched. A file is opened with `O_APPEND` and an exclusive `flock`, so two scans cannot interleave
/// in one output. Opening for resume first cuts off anything after the last complete file group (a line
/// half-written when a scan was killed).
public final class ScanOutput: @unchecked Sendable {
    public let format: ScanFormat
    public let path: String?
    /// CSV columns rows are written in: the file's own header when resuming an older file.
    private var csvColumns = ScanFormat.csvColumns
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    private init(fd: Int32, format: ScanFormat, path: String?) {
        self.fd = fd
        self.format = format
        self.path = path
    }

    /// Records to standard output (no resume; the CSV header first).
    public static func standardOutput(format: ScanFormat) throws -> ScanOutput {
        let out = ScanOutput(fd: STDOUT_FILENO, format: format, path: nil)
        if let header = format.header { try out.writeAll(header) }
        return out
    }

    /// Opens `path` for appending. Without `resume`, a non-empty existing file is refused
    /// (`ScanOutputError.exists`); with it, the file's complete records are returned (a missing file is
    /// simply created).
    public static func open(path: String, format: ScanFormat, resume: Bool) throws -> (ScanOutput, ResumeIndex) {
        let fd = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ScanOutputError.io(path: path, reason: String(cString: strerror(errno))) }
        let out = ScanOutput(fd: fd, format: format, path: path)
        do {
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                throw ScanOutputError.io(path: path, reason: "another scan is writing to this file")
            }
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw ScanOutputError.io(path: path, reason: String(cString: strerror(errno))) }
            var index = ResumeIndex(records: [])
            if st.st_size > 0 {
                guard resume else { throw ScanOutputError.exists(path: path) }
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let parsed = try format.parseWithColumns(data)
                if let columns = parsed.csvColumns { out.csvColumns = columns }
                if parsed.validLength < data.count {
                    guard ftruncate(fd, off_t(parsed.validLength)) == 0 else {
                        throw ScanOutputError.io(path: path, reason: "cannot cut the incomplete last record: \(String(cString: strerror(errno)))")
                    }
                }
                index = ResumeIndex(records: parsed.records)
                if parsed.validLength == 0, let header = format.header { try out.writeAll(header) }
            } else if let header = format.header {
                try out.writeAll(header)
            }
            return (out, index)
        } catch {
            out.close()
            throw error
        }
    }

    /// Appends one file's records as one write, then flushes them to disk.
    public func write(_ records: [ScanRecord]) throws {
        var data = Data()
        for record in records { data += try format.encode(record, csvColumns: csvColumns) }
        lock.lock()
        defer { lock.unlock() }
        try writeAll(data)
        // Pipes and terminals cannot be synced (EINVAL); nothing to lose there.
        _ = fsync(fd)
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed, fd != STDOUT_FILENO else { return }
        closed = true
        Foundation.close(fd)
    }

    deinit { close() }

    private func writeAll(_ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ScanOutputError.io(path: path ?? "standard output", reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
    }
}
