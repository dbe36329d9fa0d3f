import Foundation

/// Writing to stdout/stderr and JSON encoding shared by every command.
enum Output {
    /// JSON as the tools around `likeness` read it: snake_case keys, sorted, ISO 8601 dates.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        print(try json(value))
    }

    /// Diagnostics go to stderr so stdout stays machine-readable.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    /// A progress line on stderr that rewrites itself; `nil` ends it.
    static func progress(_ line: String?) {
        let text = line.map { "\r\($0)\u{1B}[K" } ?? "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A failure the CLI reports as one line (`Error: ...`) with a non-zero exit code.
struct CLIError: Error, CustomStringConvertible, LocalizedError {
    let description: String
    init(_ description: String) { self.description = description }
    var errorDescription: String? { description }
}

extension Output {
    /// "embedding 12/40" on stderr while many clips are embedded, when stderr is a terminal and not `quiet`.
    static func embeddingProgress(quiet: Bool) -> (@Sendable (Int, Int) -> Void)? {
        guard !quiet && isatty(STDERR_FILENO) != 0 else { return nil }
        return { done, total in Output.progress("embedding \(done)/\(total)") }
    }
}
