import Crypto
import Foundation

/// The audit log's hash chain: what is hashed, and how a log is verified.
///
/// Each event is sealed when it is appended:
///
///     digest_n = SHA-256(canonical bytes of event n, including its sequence number and a random nonce)
///     chain_n  = SHA-256(chain_(n-1) ‖ digest_n),   chain_0 = 64 × "0"
///
/// The chain runs over digests, not contents, so an erasure can drop an event's personal content
/// (`AuditRedaction`) without breaking it: the row keeps its original digest and chain, and the erasure
/// event records the digest of what remains. Any edit, deletion, insertion or reordering of events
/// breaks a digest or a link. Someone who can write the file can recompute the whole chain, which is why
/// every report prints the head (sequence and `chain`): comparing it later (`likeness registry verify
/// --expect-head`) also detects a rewritten or truncated log.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// One stored event as verification reads it: the content exactly as stored (JSON text included)
    /// plus its seal.
    public struct Row: Sendable, Equatable {
        public var sequence: Int64
        public var timestamp: String
        public var kind: String
        public var artistID: String?
        public var audioSHA256: String?
        public var modelID: String?
        public var toolVersion: String
        public var parametersJSON: String
        public var resultJSON: String
        public var seal: AuditSeal?

        public init(sequence: Int64, timestamp: String, kind: String, artistID: String?, audioSHA256: String?,
                    modelID: String?, toolVersion: String, parametersJSON: String, resultJSON: String, seal: AuditSeal?) {
            self.sequence = sequence
            self.timestamp = timestamp
            self.kind = kind
            self.artistID = artistID
            self.audioSHA256 = audioSHA256
            self.modelID = modelID
            self.toolVersion = toolVersion
            self.parametersJSON = parametersJSON
            self.resultJSON = resultJSON
            self.seal = seal
        }

        /// The row of an event about to be stored (JSON text as `JSONValue.jsonText()` writes it).
        public init(sequence: Int64, timestamp: String, event: AuditEvent, seal: AuditSeal? = nil) throws {
            self.init(sequence: sequence, timestamp: timestamp, kind: event.kind.rawValue, artistID: event.artistID,
                      audioSHA256: event.audioSHA256, modelID: event.modelID, toolVersion: event.toolVersion,
                      parametersJSON: try JSONValue.object(event.parameters).jsonText(),
                      resultJSON: try JSONValue.object(event.result).jsonText(), seal: seal)
        }

        /// SHA-256 of the canonical bytes: each field as `<byte count>:<UTF-8 bytes>` (absent fields as
        /// `-`), in a fixed order, so no two different events share their bytes.
        public func digest(nonce: String) -> String {
            var hasher = SHA256()
            let fields: [String?] = ["likeness-audit-v1", String(sequence), timestamp, kind, artistID, audioSHA256,
                                     modelID, toolVersion, parametersJSON, resultJSON, nonce]
            for field in fields {
                if let field {
                    hasher.update(data: Data("\(field.utf8.count):".utf8))
                    hasher.update(data: Data(field.utf8))
                } else {
                    hasher.update(data: Data("-".utf8))
                }
            }
            return hex(hasher.finalize())
        }
    }

    /// `chain_n` from `chain_(n-1)` and `digest_n` (both hex).
    public static func link(previous: String, digest: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(previous.utf8))
        hasher.update(data: Data(digest.utf8))
        return hex(hasher.finalize())
    }

    /// 32 random bytes as hex.
    public static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    /// Seals `row` as the event after one whose chain is `previous`.
    public static func seal(_ row: Row, previous: String) -> AuditSeal {
        let nonce = newNonce()
        let digest = row.digest(nonce: nonce)
        return AuditSeal(nonce: nonce, digest: digest, chain: link(previous: previous, digest: digest))
    }

    /// Checks a whole log, rows in sequence order. `highestIssued` is the highest sequence number the store
    /// ever handed out (nil if it does not know): a larger number than the last row means the tail was
    /// deleted. `expectedHead` is a head printed earlier (a report, a previous verify).
    public static func verify(_ rows: [Row], highestIssued: Int64?, expectedHead: AuditHead? = nil) -> AuditChainReport {
        var previous = genesis
        var lastSequence: Int64 = 0
        var redacted = 0
        // Digests vouched for by erasure events: redacted sequence -> digest of the content left.
        var vouched: [Int64: (by: Int64, digest: String)] = [:]
        for row in rows {
            if let resultVouches = redactionList(row) {
                for (sequence, digest) in resultVouches { vouched[sequence] = (row.sequence, digest) }
            }
        }
        var headMatched = expectedHead == nil
        for row in rows {
            func failure(_ reason: String) -> AuditChainReport {
                AuditChainReport(events: rows.count, redacted: redacted, head: AuditHead(sequence: lastSequence, chain: previous),
                                 problem: AuditChainReport.Problem(sequence: row.sequence, reason: reason))
            }
            // Sequence numbers are issued one by one and never reused, so a gap is a deleted event.
            guard row.sequence > lastSequence else {
                return failure("event \(row.sequence) is out of order (after event \(lastSequence))")
            }
            guard row.sequence == lastSequence + 1 else {
                let missing = row.sequence - 1 == lastSequence + 1 ? "event \(lastSequence + 1) is" : "events \(lastSequence + 1)–\(row.sequence - 1) are"
                return failure("\(missing) missing before event \(row.sequence): deleted from the log")
            }
            guard let seal = row.seal else { return failure("event \(row.sequence) has no digest or chain: it was inserted outside likeness") }
            if let by = seal.redactedBy {
                guard let vouch = vouched[row.sequence], vouch.by == by, by > row.sequence else {
                    return failure("event \(row.sequence) is marked as redacted by event \(by), which does not list it")
                }
                guard row.digest(nonce: seal.nonce) == vouch.digest else {
                    return failure("event \(row.sequence) was edited after its redaction (content does not match the digest event \(by) recorded)")
                }
                redacted += 1
            } else {
                guard row.digest(nonce: seal.nonce) == seal.digest else {
                    return failure("event \(row.sequence) was edited (its content does not match its digest)")
                }
            }
            guard link(previous: previous, digest: seal.digest) == seal.chain else {
                return failure("event \(row.sequence) does not follow event \(lastSequence): an event was deleted, inserted or reordered before it")
            }
            if let expectedHead, expectedHead.sequence == row.sequence {
                guard expectedHead.chain == seal.chain else {
                    return failure("event \(row.sequence) differs from the head recorded earlier (\(expectedHead.text)): the log up to it was rewritten")
                }
                headMatched = true
            }
            previous = seal.chain
            lastSequence = row.sequence
        }
        let head = AuditHead(sequence: lastSequence, chain: previous)
        if let highestIssued, highestIssued > lastSequence {
            return AuditChainReport(events: rows.count, redacted: redacted, head: head, problem: .init(
                sequence: lastSequence + 1,
                reason: "events \(lastSequence + 1)–\(highestIssued) were deleted from the end of the log"))
        }
        if !headMatched, let expectedHead {
            return AuditChainReport(events: rows.count, redacted: redacted, head: head, problem: .init(
                sequence: expectedHead.sequence,
                reason: "event \(expectedHead.sequence) of the head recorded earlier (\(expectedHead.text)) is missing: the log was truncated or rewritten"))
        }
        return AuditChainReport(events: rows.count, redacted: redacted, head: head, problem: nil)
    }

    /// The `[seq, digest]` pairs an erasure event vouches for (its result's `redacted` list).
    static func redactionList(_ row: Row) -> [(Int64, String)]? {
        guard row.kind == AuditEvent.Kind.remove.rawValue || row.kind == AuditEvent.Kind.removeClip.rawValue else { return nil }
        guard case .array(let items)? = JSONValue.object(jsonText: row.resultJSON)[AuditRedaction.resultKey] else { return nil }
        return items.compactMap { item in
            guard case .object(let pair) = item, case .number(let seq)? = pair["seq"], case .string(let digest)? = pair["digest"]
            else { return nil }
            return (Int64(seq), digest)
        }
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}

/// The last event of a log and its chain value: what a report prints so a later `verify` can compare.
public struct AuditHead: Sendable, Codable, Equatable {
    public var sequence: Int64
    public var chain: String

    public init(sequence: Int64, chain: String) {
        self.sequence = sequence
        self.chain = chain
    }

    /// `SEQ:CHAIN`, the form `--expect-head` takes.
    public var text: String { "\(sequence):\(chain)" }

    /// Parses `SEQ:CHAIN` (the chain as 64 hex digits); nil when malformed.
    public init?(text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence >= 0,
              parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        self.init(sequence: sequence, chain: parts[1].lowercased())
    }

    enum CodingKeys: String, CodingKey {
        case sequence = "seq"
        case chain
    }
}

/// The outcome of `AuditChain.verify`.
public struct AuditChainReport: Sendable, Codable, Equatable {
    public struct Problem: Sendable, Codable, Equatable {
        /// The first event that fails.
        public var sequence: Int64
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case sequence = "seq"
            case reason
        }
    }

    public var events: Int
    /// Events whose personal content an erasure dropped (still verified).
    public var redacted: Int
    /// The last verified event and its chain value.
    public var head: AuditHead
    public var problem: Problem?

    public var ok: Bool { problem == nil }
}

extension AuditChain {
    /// A whole log as a store holds it.
    public struct Snapshot: Sendable {
        public var rows: [Row]
        /// The highest sequence number ever issued; nil when the store does not track it separately.
        public var highestIssued: Int64?

        public init(rows: [Row], highestIssued: Int64?) {
            self.rows = rows
            self.highestIssued = highestIssued
        }
    }
}
