import Foundation

/// Where the registry database lives.
///
/// Precedence: an explicit location (`--registry PATH|URL`) > the `LIKENESS_REGISTRY` environment variable >
/// the default `~/.local/share/likeness/registry.sqlite`. A `postgres://` or `postgresql://` URL names a
/// database server (`target`); anything else is a file path: a leading `~` is expanded, relative paths are
/// resolved against the current directory. A URL is never taken for a file path.
public struct RegistryLocation: Sendable {
    /// A registry file, or a database server's URL (the text as given: it may hold a password).
    public enum Target: Sendable, Equatable {
        case file(URL)
        case server(url: String)
    }

    /// True for text that names a database server rather than a file (`postgres://`, `postgresql://`), and for any
    /// other `scheme://` text, which is refused rather than created as a folder named after the scheme.
    public static func isServerURL(_ text: String) -> Bool {
        guard let range = text.range(of: "://") else { return false }
        let scheme = text[..<range.lowerBound]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// The registry `explicit` (else the environment, else the default) names.
    public static func target(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Target {
        let text = [explicit, environment[environmentVariable]].compactMap { $0 }.first { !$0.isEmpty }
        if let text, isServerURL(text) { return .server(url: text) }
        return .file(filePath(explicit: explicit, environment: environment))
    }

    /// Name of the environment variable that overrides the default location.
    public static let environmentVariable = "LIKENESS_REGISTRY"

    /// Default location below the home directory.
    public static let defaultRelativePath = ".local/share/likeness/registry.sqlite"

    /// The registry file (for file locations: see `target`, which tells server URLs apart).
    /// Private: only `target` calls it, after ruling out a URL, so no caller can turn a URL into a file path.
    private static func filePath(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit, !explicit.isEmpty { return fileURL(explicit) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return fileURL(fromEnvironment)
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(defaultRelativePath)
    }

    private static func fileURL(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded).standardizedFileURL
    }
}
