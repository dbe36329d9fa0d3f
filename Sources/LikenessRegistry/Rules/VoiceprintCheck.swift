import Foundation

/// The check every voiceprint read from a store passes before it is scored: finite values, the same dimension
/// for the mean and every clip, unit norm within `normTolerance`. Stored voiceprints are written unit-norm by
/// the registry itself, so anything else means the file was damaged or edited, and a score computed from it
/// (a cosine of 1e24, or NaN ranked first) would be a silent wrong number.
enum VoiceprintCheck {
    /// Float32 embeddings normalised in float32 stay within ~1e-6 of unit norm; 1e-3 leaves room for any
    /// store's rounding and none for a flipped exponent bit.
    static let normTolerance: Float = 1e-3

    static func validated(_ voiceprint: StoredVoiceprint, location: String) throws -> StoredVoiceprint {
        func damaged(_ reason: String) -> RegistryError {
            .damaged(location: location, artistID: voiceprint.artistID, reason: "\(voiceprint.modelID) voiceprint \(reason)")
        }
        let dimension = voiceprint.mean.count
        guard dimension > 0 else { throw damaged("is empty") }
        for (label, vector) in [("mean", voiceprint.mean)] + voiceprint.clips.map({ ("clip \($0.sha256.prefix(12))", $0.embedding) }) {
            guard vector.count == dimension else { throw damaged("\(label) has \(vector.count) values, expected \(dimension)") }
            guard vector.allSatisfy(\.isFinite) else { throw damaged("\(label) holds NaN or infinite values") }
            let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            guard abs(norm - 1) <= normTolerance else { throw damaged("\(label) has norm \(norm), not 1") }
        }
        return voiceprint
    }
}
