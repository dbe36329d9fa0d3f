import Foundation

/// Portable JSON form of a registry (format `likeness-registry`, version 2):
///
///     {"format":"likeness-registry","version":2,"exported_at":"…","tool_version":"…",
///      "artists":[{"id":…,"name":…,"consent":{"text":…,"recorded_at":…}|null,"created_at":…,"updated_at":…,
///                  "consent_history":[{"status":"given"|"withdrawn","text":…|null,"recorded_at":…}],
///                  "clips":[{"sha256":…,"file_name":…,"duration_seconds":…,"sample_rate":…,
///                            "speech_seconds":…,"model_id":…,"enrolled_at":…,"embedding":[…]}]}]}
///
/// Embeddings are unit-length float32 values written with the shortest decimal form that reads back
/// to the same float. Mean voiceprints are not exported: import recomputes them. Version 2 added
/// `consent_history` (`consent` is the statement in force, null once withdrawn); version 1 files are still
/// read, their `consent` becoming a one-event history. Older builds refuse version 2 rather than drop a
/// withdrawal they do not know about. The audit log stays
/// with its registry; import appends its own `import` events.
struct RegistryExportDocument: Codable {
    static let format = "likeness-registry"
    static let version = 2

    var format: String
    var version: Int
    var exportedAt: String
    var toolVersion: String
    var artists: [ExportedArtist]

    enum CodingKeys: String, CodingKey {
        case format, version, artists
        case exportedAt = "exported_at"
        case toolVersion = "tool_version"
    }

    /// Just enough to reject foreign or newer files before decoding the rest.
    struct Header: Decodable {
        var format: String?
        var version: Int?
    }

    /// Sorted keys, unescaped slashes: the bytes `likeness registry export` writes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes an export, refusing foreign formats and newer versions with `invalidImport`.
    static func decode(_ data: Data) throws -> RegistryExportDocument {
        let decoder = JSONDecoder()
        let header: Header
        do { header = try decoder.decode(Header.self, from: data) } catch {
            throw RegistryError.invalidImport(reason: "not a JSON object (\(describe(error)))")
        }
        guard header.format == format else {
            throw RegistryError.invalidImport(
                reason: "not a likeness registry export (format is \(header.format.map { "'\($0)'" } ?? "missing"))")
        }
        guard let found = header.version else { throw RegistryError.invalidImport(reason: "missing 'version'") }
        guard found <= version else {
            throw RegistryError.invalidImport(
                reason: "export version \(found) is newer than supported \(version); upgrade likeness")
        }
        guard found >= 1 else { throw RegistryError.invalidImport(reason: "invalid export version \(found)") }
        do { return try decoder.decode(RegistryExportDocument.self, from: data) } catch {
            throw RegistryError.invalidImport(reason: describe(error))
        }
    }

    /// "artists[2].clips[0].embedding: expected Array<Float>" rather than Foundation's debug dump.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): null where \(type) is required"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
