import Foundation

/// How scan records are written: JSON Lines (one JSON object a line) or CSV (RFC 4180).
///
/// JSON Lines: keys as in `ScanRecord.CodingKeys`, sorted; JSON escapes every control character, so a
/// record is always exactly one line. CSV: a header line, then one record per row with the columns of
/// `csvColumns`; fields holding a comma, quote, CR or LF are quoted (quotes doubled), so a file name with
/// a line break stays one record although it spans two physical lines; `segments`, `warnings` and
/// `settings` hold JSON text. Text fields (file, artist, name, error, ...) that begin with `=`, `+`, `-`,
/// `@`, a tab or a carriage return get a leading `'` (OWASP CSV injection advice), so a spreadsheet shows
/// them as text instead of running them as formulas. Text already starting with `'` gets one too, so the
/// reader can always drop exactly one and every value reads back as written. Numeric fields are never
/// prefixed (a log10 LR of -1.5 stays a number). Non-finite numbers are written "nan", "inf", "-inf" in both.
public enum ScanFormat: String, Sendable, CaseIterable {
    case jsonl
    case csv

    /// CSV for a ".csv" path, else JSON Lines.
    public static func forPath(_ path: String) -> ScanFormat {
        path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    }

    public static let csvColumns = [
        "kind", "file", "sha256", "artist", "name", "score", "best_clip_score", "llr", "log10_lr", "percentile",
        "synthetic_score", "synthetic_llr", "synthetic_seconds",
        "rank", "selected_by", "duration_seconds", "speech_seconds", "windows", "speech_windows", "segments",
        "seconds", "row", "rows", "error", "warnings", "model_id", "scanned_at", "settings",
    ]

    /// The columns of CSV written before the synthetic-speech columns, and before `settings` was recorded; such
    /// files are read, and resumed in their own columns.
    static let columnsBeforeSynthetic = csvColumns.filter { !$0.hasPrefix("synthetic_") }
    static let legacyCSVColumns = Array(columnsBeforeSynthetic.dropLast())
    static let acceptedCSVHeaders = [csvColumns, columnsBeforeSynthetic, legacyCSVColumns]

    /// Columns holding text (the others hold numbers or JSON), in which CSV neutralises formulas.
    static let csvTextColumns: Set<String> = [
        "kind", "file", "sha256", "artist", "name", "selected_by", "error", "model_id", "scanned_at",
    ]

    /// Written once at the top of a new file (CSV only).
    public var header: Data? {
        self == .csv ? Data((Self.csvColumns.joined(separator: ",") + "\n").utf8) : nil
    }

    /// One record, with its line ending.
    public func encode(_ record: ScanRecord) throws -> Data {
        try encode(record, csvColumns: Self.csvColumns)
    }

    /// One record; CSV in the given columns (those of the file being appended to).
    func encode(_ record: ScanRecord, csvColumns columns: [String]) throws -> Data {
        switch self {
        case .jsonl:
            var data = try Self.jsonEncoder(sorted: true).encode(record)
            data.append(UInt8(ascii: "\n"))
            return data
        case .csv:
            let fields = try Self.csvFields(record)
            let cells = columns.map { column -> String in
                let value = fields[column] ?? ""
                return CSV.quote(Self.csvTextColumns.contains(column) ? CSV.neutralize(value) : value)
            }
            return Data((cells.joined(separator: ",") + "\n").utf8)
        }
    }

    /// Parses what a scan wrote. `validLength` is the byte length of the longest prefix made of complete
    /// file groups (each ending with its `row == rows` record); anything after it — a line cut off by a
    /// kill, or the first records of a file whose group is incomplete — is not returned. Throws
    /// `ScanOutputError.notScanOutput` when a complete line before that point is not a scan record.
    public func parse(_ data: Data) throws -> (records: [ScanRecord], validLength: Int) {
        let parsed = try parseWithColumns(data)
        return (parsed.records, parsed.validLength)
    }

    /// `parse`, plus the CSV columns of the file's header (nil for JSON Lines or a CSV file without a header).
    func parseWithColumns(_ data: Data) throws -> (records: [ScanRecord], validLength: Int, csvColumns: [String]?) {
        var columns: [String]?
        var records: [ScanRecord] = []
        var committed = 0
        var validLength = 0
        switch self {
        case .jsonl:
            let decoder = Self.jsonDecoder()
            var lineStart = 0
            let bytes = [UInt8](data)
            var lineNumber = 0
            while let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                let line = bytes[lineStart..<newline]
                lineStart = newline + 1
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                guard let record = try? decoder.decode(ScanRecord.self, from: Data(line)) else {
                    throw ScanOutputError.notScanOutput(line: lineNumber)
                }
                records.append(record)
                if record.row == record.rows { committed = records.count; validLength = lineStart }
            }
        case .csv:
            var parser = CSV.Parser(data: [UInt8](data))
            guard let header = parser.next() else { return ([], 0, nil) }
            if !header.terminated {
                // A header cut off by a kill (nothing follows it): start over.
                guard (Self.csvColumns.joined(separator: ",") + "\n").utf8.starts(with: data) else {
                    throw ScanOutputError.notScanOutput(line: 1)
                }
                return ([], 0, nil)
            }
            guard Self.acceptedCSVHeaders.contains(header.fields) else {
                throw ScanOutputError.notScanOutput(line: 1)
            }
            columns = header.fields
            validLength = header.end
            var lineNumber = 1
            while let row = parser.next() {
                lineNumber += 1
                guard row.terminated else { break }
                guard row.fields.count == header.fields.count,
                      let record = try? Self.record(csv: Dictionary(uniqueKeysWithValues: zip(header.fields, row.fields)))
                else { throw ScanOutputError.notScanOutput(line: lineNumber) }
                records.append(record)
                if record.row == record.rows { committed = records.count; validLength = row.end }
            }
        }
        return (Array(records.prefix(committed)), validLength, columns)
    }

    // MARK: JSON

    static func jsonEncoder(sorted: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = sorted ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    // MARK: CSV fields

    /// The record's CSV fields by column, through its JSON form so the two formats cannot drift apart.
    static func csvFields(_ record: ScanRecord) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: jsonEncoder(sorted: false).encode(record)) as? [String: Any] ?? [:]
        var fields: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let s as String: fields[key] = s
            case let n as NSNumber: fields[key] = n.stringValue
            case is NSNull: break
            default:
                let json = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
                fields[key] = String(decoding: json, as: UTF8.self)
            }
        }
        return fields
    }

    /// Rebuilds a record from CSV fields (empty field = absent).
    static func record(csv fields: [String: String]) throws -> ScanRecord {
        var object: [String: Any] = [:]
        for (key, value) in fields where !value.isEmpty {
            if csvTextColumns.contains(key) {
                object[key] = CSV.unneutralize(value)
            } else if key == "segments" || key == "warnings" || key == "settings" {
                object[key] = try JSONSerialization.jsonObject(with: Data(value.utf8))
            } else if let integer = Int(value) {
                object[key] = integer
            } else if let number = Double(value), number.isFinite {
                object[key] = number
            } else {
                object[key] = value // "nan", "inf": the decoder's non-conforming strategy reads them
            }
        }
        return try jsonDecoder().decode(ScanRecord.self, from: JSONSerialization.data(withJSONObject: object))
    }
}

/// RFC 4180 quoting and a byte-offset-aware reader.
enum CSV {
    /// `field`, quoted when it holds a comma, quote, CR or LF (quotes doubled).
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Characters that make a spreadsheet read a cell as a formula when they come first (OWASP).
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// `text` with a `'` in front when it would start a formula, or already starts with `'` (so
    /// `unneutralize` can always drop exactly one).
    static func neutralize(_ text: String) -> String {
        guard let first = text.first, formulaStarts.contains(first) || first == "'" else { return text }
        return "'" + text
    }

    /// The text `neutralize` was given.
    static func unneutralize(_ text: String) -> String {
        text.first == "'" ? String(text.dropFirst()) : text
    }

    /// Reads records one by one, reporting where each ends, so a writer can resume after the last whole one.
    struct Parser {
        struct Row {
            var fields: [String]
            /// Byte offset just past the record's line ending.
            var end: Int
            /// False for a last record without its line ending (cut off).
            var terminated: Bool
        }

        let data: [UInt8]
        var position = 0

        init(data: [UInt8]) { self.data = data }

        mutating func next() -> Row? {
            guard position < data.count else { return nil }
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var i = position
            while i < data.count {
                let byte = data[i]
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if i + 1 < data.count, data[i + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
                            i += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == UInt8(ascii: "\"") {
                    quoted = true
                } else if byte == UInt8(ascii: ",") {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field = []
                } else if byte == UInt8(ascii: "\n") {
                    if field.last == UInt8(ascii: "\r") { field.removeLast() }
                    fields.append(String(decoding: field, as: UTF8.self))
                    position = i + 1
                    return Row(fields: fields, end: position, terminated: true)
                } else {
                    field.append(byte)
                }
                i += 1
            }
            fields.append(String(decoding: field, as: UTF8.self))
            position = data.count
            return Row(fields: fields, end: position, terminated: false)
        }
    }
}

public enum ScanOutputError: Error, Sendable, CustomStringConvertible, LocalizedError {
    case notScanOutput(line: Int)
    case exists(path: String)
    case io(path: String, reason: String)
    /// `--resume` of an output whose latest rows were made with other settings (one phrase per setting).
    case settingsChanged(path: String, differences: [String])
    /// `--resume` of an output written before scans recorded their settings.
    case settingsUnknown(path: String)

    public var description: String {
        switch self {
        case .notScanOutput(let line):
            "line \(line) is not a likeness scan record: refusing to append to a file that is not scan output"
        case .exists(let path):
            "\(path) already exists: add --resume to continue that scan, or choose another output"
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .settingsChanged(let path, let differences):
            "\(path) was scanned with other settings: \(differences.joined(separator: "; ")). "
                + "Resume with the same settings, add --force to append anyway, or choose another output"
        case .settingsUnknown(let path):
            "\(path) does not record the settings it was scanned with (written by an older likeness): "
                + "add --force to resume it anyway, or choose another output"
        }
    }

    public var errorDescription: String? { description }
}
