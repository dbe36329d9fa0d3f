import Foundation

/// Where the registry database lives.
///
/// Precedence: an explicit path (`--registry PATH`) > the `LIKENESS_REGISTRY` environment variable >
/// the default `~/.local/share/likeness/registry.sqlite`. A leading `~` is expanded; relative paths are
/// resolved against the current directory.
public struct RegistryLocation: Sendable {
    /// Name of the environment variable that overrides the default location.
    public static let environmentVariable = "LIKENESS_REGISTRY"

    /// Default location below the home directory.
    public static let defaultRelativePath = ".local/share/likeness/registry.sqlite"

    public static func resolve(
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
