import Foundation

/// A reference population of voices: one voiceprint per speaker, from one model.
///
/// It answers the "how unusually close" question: of all cohort voices, what fraction is less similar
/// to the artist than the questioned clip is (`likenessPercentile`), and which cohort voices are the
/// artist's nearest neighbours. It also supplies the impostor scores for adaptive S-norm.
///
/// File format (JSON, `format` = "likeness-cohort", `version` = 1): voice embeddings are stored as
/// base64 of little-endian Float32 so a 600-voice cohort stays well under a megabyte.
public struct ReferenceCohort: Sendable, Codable, VersionedEvidenceFile {
    public static let formatName = "likeness-cohort"
    public static let currentVersion = 1

    public struct Voice: Sendable, Codable {
        /// Speaker identifier in the source data (e.g. a LibriSpeech speaker id).
        public var id: String
        /// Number of clips averaged into this voice.
        public var clips: Int
        public var embedding: [Float]

        public init(id: String, clips: Int, embedding: [Float]) {
            self.id = id
            self.clips = clips
            self.embedding = embedding
        }

        enum CodingKeys: String, CodingKey { case id, clips, embedding }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            clips = try c.decode(Int.self, forKey: .clips)
            let data = try c.decode(Data.self, forKey: .embedding)
            guard data.count % 4 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .embedding, in: c,
                                                       debugDescription: "embedding is not a Float32 array")
            }
            embedding = data.withUnsafeBytes { raw in
                (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(clips, forKey: .clips)
            var data = Data(capacity: embedding.count * 4)
            for x in embedding { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            try c.encode(data, forKey: .embedding)
        }
    }

    public var format: String
    public var version: Int
    /// Short name shown in reports, e.g. "LibriSpeech train-clean-100 (251 speakers)".
    public var name: String
    /// Where the voices come from and under which licence.
    public var source: String
    public var modelID: String
    public var createdAt: String
    public var voices: [Voice]

    public init(name: String, source: String, modelID: String, voices: [Voice], createdAt: Date = Date()) {
        format = Self.formatName
        version = Self.currentVersion
        self.name = name
        self.source = source
        self.modelID = modelID
        self.voices = voices
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, name, source, voices
        case modelID = "model_id"
        case createdAt = "created_at"
    }

    /// Cosine of `embedding` with every cohort voice, in cohort order.
    public func scores(against embedding: [Float]) -> [Double] {
        voices.map { Similarity.cosine($0.embedding, embedding) }
    }

    /// The likeness percentile of a questioned clip with respect to an artist.
    public struct Likeness: Sendable, Codable {
        /// Fraction of cohort voices less similar to the artist than the clip (ties count half), 0...1.
        public var percentile: Double
        /// Cohort voices strictly less similar than the clip.
        public var voicesBelow: Int
        public var cohortSize: Int
        public var cohortName: String
        /// The artist's most similar cohort voices, best first.
        public var nearest: [Neighbour]

        enum CodingKeys: String, CodingKey {
            case percentile, nearest
            case voicesBelow = "voices_below"
            case cohortSize = "cohort_size"
            case cohortName = "cohort_name"
        }
    }

    public struct Neighbour: Sendable, Codable {
        public var id: String
        public var score: Double
    }

    /// Ranks `clipScore` (the clip's score against the artist) among the scores of every cohort voice
    /// against the artist: "closer to the artist than N % of the reference voices".
    public func likeness(clipScore: Double, artist: [Float], nearestCount: Int = 3) -> Likeness {
        let cohortScores = scores(against: artist)
        let rank = Percentile.rank(score: clipScore, among: cohortScores)
        let nearest = zip(voices, cohortScores).sorted { $0.1 > $1.1 }.prefix(nearestCount)
            .map { Neighbour(id: $0.0.id, score: $0.1) }
        return Likeness(percentile: rank.percentile, voicesBelow: rank.below, cohortSize: rank.total,
                        cohortName: name, nearest: Array(nearest))
    }

    /// Loads and validates a cohort file.
    public static func load(from url: URL) throws -> ReferenceCohort {
        let cohort = try decodeFile(at: url, kind: "cohort")
        guard !cohort.voices.isEmpty, let dim = cohort.voices.first?.embedding.count, dim > 0,
              cohort.voices.allSatisfy({ $0.embedding.count == dim && $0.embedding.allSatisfy(\.isFinite) }) else {
            throw EvidenceFileError.invalid(path: url.path, reason: "voices are empty or of unequal dimension")
        }
        return cohort
    }

}

/// Errors reading calibration and cohort files.
public enum EvidenceFileError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)
    case newerVersion(path: String, found: Int, supported: Int)
    case modelMismatch(path: String, fileModel: String, inUse: String)
    /// A calibration fitted after AS-norm is used without a cohort.
    case cohortRequired(cohortName: String)
    /// The cohort given is not the one the calibration was fitted with.
    case cohortMismatch(path: String, cohortName: String, sha256: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read (\(reason))"
        case .invalid(let path, let reason): return "\(path): \(reason)"
        case .newerVersion(let path, let found, let supported):
            return "\(path): written by a newer likeness (version \(found) > \(supported)); upgrade likeness"
        case .modelMismatch(let path, let fileModel, let inUse):
            return "\(path): made for model \(fileModel), but this comparison uses \(inUse)"
        case .cohortRequired(let name):
            return "the calibration was fitted after AS-norm against cohort '\(name)': give that cohort with --cohort"
        case .cohortMismatch(let path, let name, let sha):
            return "\(path): not the cohort the calibration was fitted with ('\(name)', sha256 \(sha.prefix(16))...)"
        }
    }

}

/// A JSON evidence file (calibration, cohort) with a format name and a version, read and written one way.
public protocol VersionedEvidenceFile: Codable {
    static var formatName: String { get }
    static var currentVersion: Int { get }
    var format: String { get }
    var version: Int { get }
}

extension VersionedEvidenceFile {
    /// Reads and decodes the file, checking its format name and that its version is not newer than ours.
    static func decodeFile(at url: URL, kind: String) throws -> Self {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EvidenceFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let value: Self
        do { value = try JSONDecoder().decode(Self.self, from: data) } catch {
            throw EvidenceFileError.invalid(path: url.path, reason: "not a likeness \(kind) file (\(error))")
        }
        guard value.format == formatName else {
            throw EvidenceFileError.invalid(path: url.path, reason: "format is '\(value.format)', expected '\(formatName)'")
        }
        guard value.version <= currentVersion else {
            throw EvidenceFileError.newerVersion(path: url.path, found: value.version, supported: currentVersion)
        }
        return value
    }

    /// Writes pretty, key-sorted JSON atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
