import Foundation

/// One artist row as a store holds it: identity, consent and timestamps, without clips.
public struct ArtistRecord: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var consent: ConsentRecord?
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, name: String, consent: ConsentRecord?, createdAt: String, updatedAt: String) {
        self.id = id
        self.name = name
        self.consent = consent
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, consent
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
