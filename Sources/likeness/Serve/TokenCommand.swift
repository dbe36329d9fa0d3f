import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistrySQLite
import LikenessServer

/// `likeness serve token create|list|revoke`: the server's API tokens, kept (hashed) beside the registry.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list or revoke API tokens (stored hashed in <registry>.tokens.sqlite).",
        subcommands: [Create.self, List.self, Revoke.self])

    /// The token file beside the registry.
    /// The token file beside an SQLite registry. A PostgreSQL registry has no folder to keep it in, and tokens
    /// are not yet stored in the database: refused, naming the option.
    static func url(_ registry: RegistryOptions) throws -> URL {
        guard let path = registry.filePath else {
            throw CLIError("--registry \(registry.displayName): API tokens are kept in a file beside an SQLite registry; "
                           + "likeness serve does not support a PostgreSQL registry yet")
        }
        return SQLiteTokenStore.url(besideRegistry: URL(fileURLWithPath: path))
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; prints it alone on the last line (it is shown only once).",
            discussion: """
            Examples:
              likeness serve token create --role admin --registry team.sqlite
              likeness serve token create --role examiner --label "case system"
              likeness serve token create --role artist --artist alice-example
            """)

        @Option(help: "admin (everything), examiner (read, compare, identify, report) or artist (one artist's own enrolment).")
        var role: APIToken.Role
        @Option(help: "The artist an artist token may enrol and manage.") var artist: String?
        @Option(help: "A note for you: who or what holds the token.") var label: String?
        @OptionGroup var registry: RegistryOptions

        func run() async throws {
            let store = try SQLiteTokenStore(url: try TokenCommand.url(registry), createIfMissing: true)
            let issued: TokenIssuer.Issued
            do { issued = try await TokenIssuer.create(role: role, artistID: artist, label: label, in: store) } catch let e as TokenIssuerError {
                throw CLIError(e.description)
            }
            Output.note("created \(issued.token.role.rawValue) token \(issued.token.id)"
                        + (issued.token.artistID.map { " for artist \($0)" } ?? "") + " in \(store.location); keep it secret, it is not shown again:")
            print(issued.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids and roles; never the secrets).")
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let tokens = try await SQLiteTokenStore(url: try TokenCommand.url(registry), createIfMissing: false).tokens()
            if json { return try Output.printJSON(tokens) }
            for t in tokens {
                print([t.id, t.role.rawValue, t.artistID ?? "-", "created \(t.createdAt)", t.revokedAt.map { "REVOKED \($0)" } ?? "active",
                       t.label ?? ""].joined(separator: "  "))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (tok_...); the server refuses it at once.")
        @Argument(help: "Token id.") var id: String
        @OptionGroup var registry: RegistryOptions

        func run() async throws {
            let store = try SQLiteTokenStore(url: try TokenCommand.url(registry), createIfMissing: false)
            let stamp = ISO8601DateFormatter().string(from: Date())
            guard try await store.revoke(id: id, at: stamp) else { throw CLIError("no active token \(id) in \(store.location)") }
            print("revoked \(id)")
        }
    }
}

extension APIToken.Role: ExpressibleByArgument {}
