import Foundation

/// The outcome of `Registry.verify`: storage, stored vectors and the audit chain.
public struct RegistryVerification: Sendable, Codable, Equatable {
    public var location: String
    /// Problems the storage reports (SQLite `integrity_check`, unsafe file modes).
    public var storageProblems: [String]
    /// Voiceprints that fail `VoiceprintCheck`, one line per artist and model.
    public var voiceprintProblems: [String]
    /// Voiceprints checked (artists × models).
    public var voiceprintsChecked: Int
    public var audit: AuditChainReport

    public var ok: Bool { storageProblems.isEmpty && voiceprintProblems.isEmpty && audit.ok }

    enum CodingKeys: String, CodingKey {
        case location, ok, audit
        case storageProblems = "storage_problems"
        case voiceprintProblems = "voiceprint_problems"
        case voiceprintsChecked = "voiceprints_checked"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(location, forKey: .location)
        try container.encode(ok, forKey: .ok)
        try container.encode(storageProblems, forKey: .storageProblems)
        try container.encode(voiceprintProblems, forKey: .voiceprintProblems)
        try container.encode(voiceprintsChecked, forKey: .voiceprintsChecked)
        try container.encode(audit, forKey: .audit)
    }

    public init(location: String, storageProblems: [String], voiceprintProblems: [String], voiceprintsChecked: Int,
                audit: AuditChainReport) {
        self.location = location
        self.storageProblems = storageProblems
        self.voiceprintProblems = voiceprintProblems
        self.voiceprintsChecked = voiceprintsChecked
        self.audit = audit
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(location: try container.decode(String.self, forKey: .location),
                  storageProblems: try container.decode([String].self, forKey: .storageProblems),
                  voiceprintProblems: try container.decode([String].self, forKey: .voiceprintProblems),
                  voiceprintsChecked: try container.decode(Int.self, forKey: .voiceprintsChecked),
                  audit: try container.decode(AuditChainReport.self, forKey: .audit))
    }
}

extension Registry {
    /// Checks everything a registry can check about itself: the storage (`storageProblems`), every stored
    /// voiceprint and clip embedding of every model (`VoiceprintCheck`), and the audit log's hash chain
    /// (`AuditChain.verify`), optionally against a head recorded earlier (`expectedHead`, printed by every
    /// report). Reads only; a storage too damaged to read throws.
    public func verify(expectedHead: AuditHead? = nil) async throws -> RegistryVerification {
        let storage = try await store.storageProblems()
        var vectorProblems: [String] = []
        var checked = 0
        for model in try await store.clipCounts().keys.sorted() {
            for voiceprint in try await store.voiceprints(modelID: model) {
                checked += 1
                do { _ = try VoiceprintCheck.validated(voiceprint, location: location) } catch let error as RegistryError {
                    if case .damaged(_, let artist, let reason) = error { vectorProblems.append("artist \(artist): \(reason)") }
                    else { vectorProblems.append(error.description) }
                }
            }
        }
        let chain = try await store.auditChain()
        return RegistryVerification(
            location: location, storageProblems: storage, voiceprintProblems: vectorProblems, voiceprintsChecked: checked,
            audit: AuditChain.verify(chain.rows, highestIssued: chain.highestIssued, expectedHead: expectedHead))
    }

    /// The audit log's current head, for reports to print; nil for an empty log.
    public func auditHead() async throws -> AuditHead? {
        try await store.auditHead()
    }
}
