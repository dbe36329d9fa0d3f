import Foundation
import LikenessCore

/// Writing to stdout/stderr and JSON encoding shared by every command.
enum Output {
    /// JSON as the tools around `likeness` read it: snake_case keys, sorted, ISO 8601 dates.
    static func json<T: Encodable>(_ value: T) throws -> String {
        try ResultJSON.text(value)
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

    /// Columns of the terminal on stderr; $COLUMNS, else 80, when it does not say (for `ProgressLine`).
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
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
