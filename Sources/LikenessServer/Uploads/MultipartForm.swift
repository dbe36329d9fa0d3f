import Foundation
import HTTPTypes
import MultipartKit
import NIOCore

/// A `multipart/form-data` body read into its text fields and its files (MultipartKit's parser). Files stay in
/// memory only until `UploadArea` writes them out for the analysis.
struct MultipartForm {
    struct File {
        /// The form field (`clips`, `clip`, `other`).
        let field: String
        /// The file name the client sent, unchecked: `UploadArea.safeName` makes it harmless.
        let clientName: String
        let data: ByteBuffer
    }

    var fields: [String: String] = [:]
    var files: [File] = []

    /// Parses `body`; `contentType` must be `multipart/form-data` with a boundary (else 415). Text fields longer
    /// than `maxFieldBytes`, a field given twice, or a body that is not well-formed multipart are 400s.
    static func parse(_ body: ByteBuffer, contentType: String?, maxFieldBytes: Int) throws -> MultipartForm {
        guard let contentType, let boundary = boundary(in: contentType) else {
            throw APIError(.unsupportedMediaType, "the body must be multipart/form-data with a boundary (got \(contentType.map { "'\($0)'" } ?? "no Content-Type"))")
        }
        var parts: [(headers: [(String, String)], body: ByteBuffer)] = []
        var headers: [(String, String)] = []
        var partBody = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((headers, partBody))
            headers = []
            partBody = ByteBuffer()
        }
        do { try parser.execute(body) } catch {
            throw APIError(.badRequest, "the multipart body is malformed: \(error)")
        }
        guard !parts.isEmpty else { throw APIError(.badRequest, "the multipart body holds no parts (is the boundary right?)") }
        var form = MultipartForm()
        for part in parts {
            let disposition = part.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            guard let name = parameter("name", in: disposition), !name.isEmpty else {
                throw APIError(.badRequest, "a multipart part has no Content-Disposition name")
            }
            if let fileName = parameter("filename", in: disposition) {
                form.files.append(File(field: name, clientName: fileName, data: part.body))
                continue
            }
            guard part.body.readableBytes <= maxFieldBytes else {
                throw APIError(.contentTooLarge, "field '\(name)' is \(part.body.readableBytes) bytes; at most \(maxFieldBytes) are accepted")
            }
            guard let text = part.body.getString(at: part.body.readerIndex, length: part.body.readableBytes), !text.contains("\u{0}") else {
                throw APIError(.badRequest, "field '\(name)' is not UTF-8 text")
            }
            guard form.fields[name] == nil else { throw APIError(.badRequest, "field '\(name)' is given more than once") }
            form.fields[name] = text
        }
        return form
    }

    /// A text field, trimmed; nil when absent or blank.
    func field(_ name: String) -> String? {
        fields[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A required text field, or a 400 naming it.
    func require(_ name: String, for what: String) throws -> String {
        guard let value = field(name) else { throw APIError(.badRequest, "missing field '\(name)' (\(what))") }
        return value
    }

    /// A yes/no field: true, false, 1, 0, yes, no, on (HTML checkbox); absent is false.
    func flag(_ name: String) throws -> Bool {
        guard let value = field(name)?.lowercased() else { return false }
        switch value {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw APIError(.badRequest, "field '\(name)' must be true or false (got '\(value)')")
        }
    }

    func files(_ field: String) -> [File] { files.filter { $0.field == field } }

    /// Files under names this request does not take are refused rather than ignored.
    func requireOnlyFiles(in allowed: Set<String>) throws {
        if let stray = files.first(where: { !allowed.contains($0.field) }) {
            throw APIError(.badRequest, "unexpected file field '\(stray.field)' (this request takes: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func boundary(in contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        return pieces.dropFirst().compactMap { piece -> String? in
            guard piece.lowercased().hasPrefix("boundary=") else { return nil }
            let value = String(piece.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 70 ? nil : value
        }.first
    }

    /// `key="value"` (or unquoted) from a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
