import Foundation

/// A PostgreSQL server and database named by a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&host=/run/postgresql]`.
///
/// The password comes from the URL, else `PGPASSWORD`, else the password file (`PGPASSFILE`, default
/// `~/.pgpass`, lines `host:port:database:user:password` with `*` wildcards, as libpq reads it). It is never
/// part of `redacted`, which is what messages, audit rows and `RegistryStore.location` show.
///
/// `sslmode`: `disable` (the default on a unix socket), `prefer` (the default over TCP: TLS if the server
/// offers it), `require`, `verify-ca` and `verify-full` (TLS or fail; the last two also check the server's
/// certificate against the system's trust roots, `sslrootcert=PATH` to use another CA file).
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require, verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var user: String
    /// Never printed; see `redacted`.
    public var password: String?
    /// A host name or address, or (starting with "/") the folder of the server's unix socket.
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// A CA certificate file for `verify-ca`/`verify-full` (`sslrootcert`).
    public var rootCertificate: String?

    /// True for `postgres://` and `postgresql://` text: such text is a server, never a file path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a URL; `environment` supplies `PGPASSWORD`, `PGPASSFILE`, `PGUSER`, `PGSSLMODE` and `HOME`.
    /// Throws `PostgresRegistryError.invalidURL`, whose text never contains the password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = socketFolder ?? components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        if host.isEmpty {
            throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "it names no host (postgres://USER@HOST/DATABASE, or ?host=/socket/folder)")
        }
        let user = components.user ?? environment["PGUSER"] ?? ""
        if user.isEmpty { throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "it names no user (postgres://USER@HOST/DATABASE)") }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        if database.isEmpty || database.contains("/") {
            throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "it names no database (postgres://USER@HOST/DATABASE)")
        }
        let modeText = query["sslmode"] ?? environment["PGSSLMODE"] ?? (host.hasPrefix("/") ? "disable" : "prefer")
        guard let mode = TLSMode(rawValue: modeText) else {
            throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "sslmode '\(modeText)' is not one of disable, prefer, require, verify-ca, verify-full")
        }
        if host.hasPrefix("/"), mode != .disable, mode != .prefer {
            throw PostgresRegistryError.invalidURL(Self.redact(text), reason: "sslmode=\(modeText) over a unix socket: TLS is for TCP connections")
        }
        self.user = user
        self.host = host
        self.port = components.port ?? Int(query["port"] ?? "") ?? 5432
        self.database = database
        self.tls = mode
        self.rootCertificate = query["sslrootcert"]
        self.password = components.password.flatMap { $0.removingPercentEncoding }
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment: environment, host: host, port: port, database: database, user: user)
    }

    /// `postgres://user@host:port/database` with no password, plus the TLS mode when it is not the default.
    public var redacted: String {
        let server = host.hasPrefix("/") ? "localhost" : (host.contains(":") ? "[\(host)]" : host)
        var text = "postgres://\(user)@\(server):\(port)/\(database)"
        var query: [String] = []
        if host.hasPrefix("/") { query.append("host=\(host)") }
        if tls != .prefer, !host.hasPrefix("/") { query.append("sslmode=\(tls.rawValue)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// The same server with another database (creating a missing registry connects to `postgres` first).
    func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// `text` with any password in its user-info part replaced by `***`, for error messages about a URL that
    /// could not be parsed.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(rest[at...])
    }

    /// The first matching line of the password file, as libpq reads it (a file others can read is ignored,
    /// as libpq does).
    static func passwordFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        let hostKey = host.hasPrefix("/") ? "localhost" : host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitPasswordLine(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [hostKey, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits on unescaped `:`; `\:` and `\\` stand for themselves.
    private static func splitPasswordLine(_ line: String) -> [String] {
        var fields: [String] = [""]
        var escaped = false
        for character in line {
            if escaped { fields[fields.count - 1].append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else if character == ":" { fields.append("") }
            else { fields[fields.count - 1].append(character) }
        }
        return fields
    }
}
