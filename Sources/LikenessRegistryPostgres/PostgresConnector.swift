import Foundation
import Logging
import PostgresNIO

/// Opens connections to one server and keeps a few idle ones for reuse.
///
/// postgres-nio's `PostgresClient` pool retries a failing connection forever, so a query against a missing
/// database or a wrong password would hang (vapor/postgres-nio#489); a CLI must fail at once with the
/// server's reason. Connections are therefore made with `PostgresConnection.connect`, whose errors are
/// thrown, and the few a process needs are kept here.
final class PostgresConnector: @unchecked Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    // Guarded by `lock`.
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 0
    /// Idle connections kept; more may be open while in use.
    private let keep = 4
    static let logger = Logger(label: "likeness.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(location: PostgresLocation) throws {
        self.location = location
        configuration = try Self.configuration(location)
    }

    /// Runs `body` on a connection of its own; the connection goes back to the idle list afterwards unless
    /// it was closed or `body` left it inside a transaction (it then throws and is dropped).
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await take()
        do {
            let value = try await body(connection)
            give(connection)
            return value
        } catch {
            // A failed statement may leave the connection in an aborted transaction: never reuse it. Closed without
            // waiting: a connection the server already dropped has nothing to wait for.
            if !connection.isClosed { let _: EventLoopFuture<Void> = connection.close() }
            throw PostgresRegistryError.wrap(error, location: location.redacted)
        }
    }

    /// `withConnection` with the queries of `PostgresQueries` on it (messages name the redacted location).
    func withQueries<T: Sendable>(_ body: (PostgresQueries) async throws -> T) async throws -> T {
        let redacted = location.redacted
        return try await withConnection { connection in
            try await body(PostgresQueries(connection: connection, location: redacted))
        }
    }

    /// Closes the idle connections.
    func shutdown() async {
        let closing = lock.withLock { () -> [PostgresConnection] in
            defer { idle = [] }
            return idle
        }
        for connection in closing { try? await connection.close() }
    }

    deinit {
        for connection in idle { let _: EventLoopFuture<Void> = connection.close() }
    }

    private func take() async throws -> PostgresConnection {
        let (reused, id) = lock.withLock { () -> (PostgresConnection?, Int) in
            while let connection = idle.popLast() {
                if !connection.isClosed { return (connection, 0) }
            }
            nextID += 1
            return (nil, nextID)
        }
        if let reused { return reused }
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: id, logger: Self.logger)
        } catch {
            throw PostgresRegistryError.wrap(error, location: location.redacted)
        }
    }

    private func give(_ connection: PostgresConnection) {
        if connection.isClosed { return }
        let kept = lock.withLock { () -> Bool in
            guard idle.count < keep else { return false }
            idle.append(connection)
            return true
        }
        if !kept { let _: EventLoopFuture<Void> = connection.close() }
    }

    /// The driver's configuration for `location`, TLS as its `sslmode` asks (libpq's meaning: `require`
    /// encrypts without checking the certificate, `verify-ca` checks the chain, `verify-full` the host too).
    static func configuration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        if location.host.hasPrefix("/") {
            var configuration = PostgresConnection.Configuration(
                unixSocketPath: location.host + "/.s.PGSQL.\(location.port)", username: location.user,
                password: location.password, database: location.database)
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        }
        let tls: PostgresConnection.Configuration.TLS
        if location.tls == .disable {
            tls = .disable
        } else {
            var settings = TLSConfiguration.makeClientConfiguration()
            switch location.tls {
            case .disable, .prefer, .require: settings.certificateVerification = .none
            case .verifyCA: settings.certificateVerification = .noHostnameVerification
            case .verifyFull: settings.certificateVerification = .fullVerification
            }
            if let root = location.rootCertificate { settings.trustRoots = .file(root) }
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: settings)
            } catch {
                throw PostgresRegistryError.connection(location: location.redacted, reason: "cannot set up TLS: \(error)")
            }
            tls = location.tls == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
