import Crypto
import Foundation

/// A safetensors file holding float32 tensors (https://github.com/huggingface/safetensors, "Format"):
/// u64 LE header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
/// {String: String}}` (space-padded to a multiple of 8), then the raw little-endian data; offsets are relative
/// to the end of the header. Reading validates everything (bounds, dtype, sizes, no gaps or overlaps), so a
/// truncated or corrupt file fails with `ModelError.invalidModel` instead of producing garbage weights.
public struct SafeTensorsFile: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]
    /// SHA-256 of the bytes read by `init(contentsOf:)` (nil for files built in memory): the model's identity
    /// in provenance, taken from the very bytes that were loaded.
    public private(set) var sha256: String?

    /// Header sizes above this are rejected (the reference implementation uses the same 100 MB cap).
    static let maxHeaderBytes = 100_000_000

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates a file; a missing file gives `ModelError.missingModel`.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.missingModel(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.invalidModel(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, path: url.path)
        sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Decodes and validates an in-memory file; `path` only labels errors.
    public init(data: Data, path: String) throws {
        func invalid(_ reason: String) -> ModelError { .invalidModel(path: path, reason: reason) }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw invalid("file shorter than the 8-byte header length") }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(min(Self.maxHeaderBytes, bytes.count - 8)) else {
            throw invalid("header length \(headerLength) exceeds the file (\(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<dataStart])) } catch {
            throw invalid("header is not valid safetensors JSON")
        }
        let dataSize = bytes.count - dataStart

        var spans: [(begin: Int, end: Int, name: String)] = []
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header.entries {
            guard entry.dtype == "F32" else { throw invalid("tensor \(name) has dtype \(entry.dtype), expected F32") }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw invalid("tensor \(name) has a negative dimension") }
            let (count, overflow) = entry.shape.reduce((1, false)) { acc, dim in
                let product = acc.0.multipliedReportingOverflow(by: dim)
                return (product.partialValue, acc.1 || product.overflow)
            }
            guard !overflow, entry.data_offsets.count == 2 else { throw invalid("tensor \(name) has a malformed shape or offsets") }
            let begin = entry.data_offsets[0], end = entry.data_offsets[1]
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw invalid("tensor \(name) offsets [\(begin), \(end)) fall outside the \(dataSize)-byte data section")
            }
            guard count <= Int.max / 4, end - begin == 4 * count else {
                throw invalid("tensor \(name) spans \(end - begin) bytes but shape \(entry.shape) needs \(4 &* count)")
            }
            spans.append((begin, end, name))
            let values = bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + begin + 4 * $0, as: UInt32.self))) }
            }
            tensors[name] = Tensor(shape: entry.shape, values: values)
        }
        // The format requires the tensors to tile the data section exactly: no overlaps, no holes.
        var cursor = 0
        for span in spans.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard span.begin == cursor else { throw invalid("tensor \(span.name) overlaps another or leaves a gap") }
            cursor = span.end
        }
        guard cursor == dataSize else { throw invalid("\(dataSize - cursor) unreferenced bytes at the end of the data") }
        self.tensors = tensors
        self.metadata = header.metadata ?? [:]
    }

    /// The file's bytes; tensors are laid out in name order so the output is deterministic.
    public func serialized() throws -> Data {
        var entries: [String: Entry] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let tensor = tensors[name]!
            entries[name] = Entry(dtype: "F32", shape: tensor.shape, data_offsets: [offset, offset + 4 * tensor.values.count])
            offset += 4 * tensor.values.count
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headerBytes = [UInt8](try encoder.encode(Header(entries: entries, metadata: metadata)))
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

        var out = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for name in names {
            let littleEndian = tensors[name]!.values.map { $0.bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes atomically (temporary file + rename), creating the parent directory if needed.
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try serialized().write(to: url, options: .atomic)
    }

    private struct Entry: Codable {
        var dtype: String
        var shape: [Int]
        var data_offsets: [Int]
    }

    /// The header mixes tensor entries with the special `__metadata__` object, hence the dynamic keys.
    private struct Header: Codable {
        var entries: [String: Entry]
        var metadata: [String: String]?

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        private static let metadataKey = "__metadata__"

        init(entries: [String: Entry], metadata: [String: String]) {
            self.entries = entries
            self.metadata = metadata
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            entries = [:]
            for key in container.allKeys {
                if key.stringValue == Self.metadataKey {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (name, entry) in entries { try container.encode(entry, forKey: Key(stringValue: name)) }
            if let metadata, !metadata.isEmpty { try container.encode(metadata, forKey: Key(stringValue: Self.metadataKey)) }
        }
    }
}
