import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistrySQLite
import LikenessServer

/// `likeness serve token create|list|revoke`: the server's API tokens, kept (hashed) beside the registry.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list or revoke API tokens (stored hashed: in <registry>.tokens.sqlite, or in a PostgreSQL registry's database).",
        subcommands: [Create.self, List.self, Revoke.self])

    /// The registry's token store: a file beside an SQLite registry (`SQLiteTokenStore`), a table in a PostgreSQL
    /// registry's database (`PostgresTokenStore`, so every server using the registry honours the same tokens).
    /// `create`: make the store when missing (token create, serve); else a missing one is an error naming it.
    static func store(_ registry: RegistryOptions, create: Bool) async throws -> any TokenStore {
        switch registry.target {
        case .file(let url):
            return try SQLiteTokenStore(url: SQLiteTokenStore.url(besideRegistry: url), createIfMissing: create)
        case .server(let url):
            return try await PostgresTokenStore(url: url, createIfMissing: create)
        }
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
            let store = try await TokenCommand.store(registry, create: true)
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
            let tokens = try await TokenCommand.store(registry, create: false).tokens()
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
            let store = try await TokenCommand.store(registry, create: false)
            let stamp = ISO8601DateFormatter().string(from: Date())
            guard try await store.revoke(id: id, at: stamp) else { throw CLIError("no active token \(id) in \(store.location)") }
            print("revoked \(id)")
        }
    }
}

extension APIToken.Role: ExpressibleByArgument {}
