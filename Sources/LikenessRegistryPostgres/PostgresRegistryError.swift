import Foundation
import PostgresNIO

/// Failures of the PostgreSQL store that are not the registry's own rules. Every text names the server by
/// its redacted location (`PostgresLocation.redacted`): a password never appears.
public enum PostgresRegistryError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The `--registry`/`--queue` text is not a usable URL.
    case invalidURL(String, reason: String)
    /// The server could not be reached or refused the login.
    case connection(location: String, reason: String)
    /// The server refused a statement (SQLSTATE and its message).
    case server(location: String, sqlState: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let text, let reason):
            return "invalid PostgreSQL URL \(text): \(reason)"
        case .connection(let location, let reason):
            return "cannot connect to PostgreSQL at \(location): \(reason)"
        case .server(let location, let state, let message):
            return "PostgreSQL at \(location): \(message) (SQLSTATE \(state))"
        }
    }

    public var errorDescription: String? { description }

    /// The server's SQLSTATE of `error`, when it is a server error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// A postgres-nio error in our words (its own description hides the details on purpose; the server's
    /// message never holds the password, which is only sent during authentication).
    static func wrap(_ error: any Error, location: String) -> any Error {
        guard let psql = error as? PSQLError else { return error }
        if let info = psql.serverInfo {
            let state = info[.sqlState] ?? "?"
            let message = info[.message] ?? "error"
            // 28xxx: authentication; 3D000: no such database; 08xxx: connection.
            if state.hasPrefix("28") || state.hasPrefix("08") || state == "3D000" {
                return PostgresRegistryError.connection(location: location, reason: "\(message) (SQLSTATE \(state))")
            }
            return PostgresRegistryError.server(location: location, sqlState: state, message: message)
        }
        let reason: String
        switch psql.code {
        case .connectionError, .uncleanShutdown, .serverClosedConnection, .clientClosedConnection:
            reason = "the connection failed or was closed" + (psql.underlying.map { " (\($0))" } ?? "")
        case .sslUnsupported:
            reason = "the server does not offer TLS, which sslmode requires"
        case .authMechanismRequiresPassword:
            reason = "the server asks for a password: give it in PGPASSWORD, ~/.pgpass or the URL"
        default:
            reason = String(reflecting: psql.code) + (psql.underlying.map { " (\($0))" } ?? "")
        }
        return PostgresRegistryError.connection(location: location, reason: reason)
    }
}
