import Foundation

/// What a clip must satisfy before it is stored (enrolment and import alike).
enum ClipValidation {
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The clip with a lower-case hash and a unit-length embedding, or `invalidClip` with the reason.
    static func validated(_ clip: ClipEnrolment) throws -> ClipEnrolment {
        let sha = clip.sha256.lowercased()
        guard isSHA256(sha) else {
            throw RegistryError.invalidClip(sha256: clip.sha256, reason: "sha256 must be 64 hexadecimal digits")
        }
        guard !clip.modelID.isEmpty, clip.modelID.count <= 200,
              !clip.modelID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw RegistryError.invalidClip(sha256: sha, reason: "model id must be 1...200 printable characters") }
        guard clip.durationSeconds.isFinite, clip.durationSeconds >= 0,
              clip.speechSeconds.isFinite, clip.speechSeconds >= 0
        else { throw RegistryError.invalidClip(sha256: sha, reason: "durations must be finite and non-negative") }
        guard clip.sampleRate > 0 else {
            throw RegistryError.invalidClip(sha256: sha, reason: "sample rate must be positive")
        }
        guard let unit = UnitVector.normalised(clip.embedding) else {
            throw RegistryError.invalidClip(sha256: sha, reason: "embedding is empty, non-finite or all zeros")
        }
        var valid = clip
        valid.sha256 = sha
        valid.embedding = unit
        return valid
    }
}
