import Foundation

/// A file path as the file system stores it: bytes, which need not be UTF-8 on Linux.
///
/// Swift strings cannot hold invalid UTF-8, so a name such as `caf\xE9.wav` (Latin-1) would be
/// unopenable if it were carried as a `String`. The bytes are kept; `display` is a readable,
/// lossless-enough rendering for reports (invalid bytes become `\xNN`), and `withOpenablePath`
/// hands the decoders a path that reaches the same file.
public struct ScanPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path bytes, without a terminating NUL.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }

    /// The path as text when it is valid UTF-8.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    /// UTF-8 text with each byte that is not part of a valid sequence written as `\xNN`.
    public var display: String { Self.display(bytes) }
    public var description: String { display }

    /// The last component's bytes.
    public var lastComponent: [UInt8] {
        Array(bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).last ?? [])
    }

    /// The lowercased extension of the last component ("wav"), nil when there is none.
    public var pathExtension: String? {
        let name = lastComponent
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < name.count - 1 else { return nil }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }

    /// `self/name`.
    public func appending(_ name: [UInt8]) -> ScanPath {
        if bytes.last == UInt8(ascii: "/") { return ScanPath(bytes: bytes + name) }
        return ScanPath(bytes: bytes + [UInt8(ascii: "/")] + name)
    }

    /// The folder part ("." for a bare name).
    public var parent: ScanPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return ScanPath(".") }
        return slash == 0 ? ScanPath("/") : ScanPath(bytes: Array(bytes[..<slash]))
    }

    public var isAbsolute: Bool { bytes.first == UInt8(ascii: "/") }

    public static func < (a: ScanPath, b: ScanPath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// Calls `body` with the path as a NUL-terminated C string (for `stat`, `open`, `opendir`).
    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Calls `body` with a `String` path that opens this file: the path itself when it is UTF-8, else
    /// `/dev/fd/N` for a descriptor opened from the raw bytes (kept open for the duration of `body`).
    /// Throws `ScanPathError.cannotOpen` when the descriptor cannot be opened.
    public func withOpenablePath<R>(_ body: (String) throws -> R) throws -> R {
        if let string { return try body(string) }
        let fd = withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw ScanPathError.cannotOpen(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try body("/dev/fd/\(fd)")
    }

    static func display(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var out = ""
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes[i])
            if length > 0, i + length <= bytes.count,
               let scalar = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out += scalar
                i += length
            } else {
                out += String(format: "\\x%02X", bytes[i])
                i += 1
            }
        }
        return out
    }

    /// Length of the UTF-8 sequence a lead byte announces; 0 for a byte that cannot start one.
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}

public enum ScanPathError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let reason): "cannot open file: \(reason)"
        }
    }
}
