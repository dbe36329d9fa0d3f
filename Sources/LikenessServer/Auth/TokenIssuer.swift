import Crypto
import Foundation
import LikenessRegistry

/// Makes API tokens: a secret of 256 random bits (`lk_` + 43 base64url characters), of which the store keeps only
/// the SHA-256, and a public id (`tok_` + 16 hex digits) that the audit log names.
public enum TokenIssuer {
    public struct Issued: Sendable {
        /// The bearer secret: shown once, never stored.
        public let secret: String
        public let token: APIToken
    }

    /// Issues and stores a token. An artist token needs a valid artist id (the artist need not be enrolled yet:
    /// the token is how the artist enrols); the other roles take none.
    public static func create(role: APIToken.Role, artistID: String?, label: String?, in store: any TokenStore) async throws -> Issued {
        switch (role, artistID) {
        case (.artist, nil): throw TokenIssuerError("an artist token needs --artist ID (the artist it may enrol and manage)")
        case (.artist, let id?): _ = try Registry.artistID(given: id, name: id)
        case (_, _?): throw TokenIssuerError("--artist applies to --role artist only (an \(role.rawValue) token is not tied to one artist)")
        case (_, nil): break
        }
        let secret = "lk_" + base64URL(randomBytes(32))
        let token = APIToken(id: "tok_" + randomBytes(8).map { String(format: "%02x", $0) }.joined(),
                             role: role, artistID: artistID, label: label, createdAt: ServerClock.timestamp())
        try await store.insert(token, secretSHA256: hash(secret))
        return Issued(secret: secret, token: token)
    }

    /// SHA-256 of the secret's UTF-8 bytes, lower-case hex: what the store keeps and looks tokens up by.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

public struct TokenIssuerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
