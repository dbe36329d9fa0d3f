import Foundation

/// Embedding storage and arithmetic shared by the registry and the index.
enum EmbeddingCodec {
    /// Little-endian IEEE-754 float32, `dimension` values, no header: portable across machines.
    static func encode(_ vector: [Float]) -> Data {
        let bits = vector.map { $0.bitPattern.littleEndian }
        return bits.withUnsafeBytes { Data($0) }
    }

    /// Appends the floats of `blob` to `output`; returns false when the blob is not `dimension` floats.
    static func decode(_ blob: Data, dimension: Int, into output: inout [Float]) -> Bool {
        guard dimension > 0, blob.count == dimension * 4 else { return false }
        blob.withUnsafeBytes { raw in
            #if _endian(little)
            // Same layout in memory: one bulk copy (index loading decodes ~10^5 blobs).
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: dimension))
            output.withUnsafeMutableBytes { target in
                target.baseAddress!.advanced(by: start * 4).copyMemory(from: raw.baseAddress!, byteCount: dimension * 4)
            }
            #else
            for index in 0..<dimension {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                output.append(Float(bitPattern: bits))
            }
            #endif
        }
        return true
    }

    static func decode(_ blob: Data, dimension: Int) -> [Float]? {
        var output: [Float] = []
        output.reserveCapacity(dimension)
        return decode(blob, dimension: dimension, into: &output) ? output : nil
    }

    /// L2-normalised copy, accumulating in Double; nil for empty, non-finite or all-zero input.
    static func normalised(_ vector: [Float]) -> [Float]? {
        guard !vector.isEmpty, vector.allSatisfy(\.isFinite) else { return nil }
        let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0, norm.isFinite else { return nil }
        return vector.map { Float(Double($0) / norm) }
    }

    /// Normalised mean of unit vectors of equal length (the artist's voiceprint); nil when empty,
    /// of unequal lengths, or summing to zero.
    static func normalisedMean(_ vectors: [[Float]]) -> [Float]? {
        guard let first = vectors.first, vectors.allSatisfy({ $0.count == first.count }) else { return nil }
        var sum = [Double](repeating: 0, count: first.count)
        for vector in vectors {
            for (index, value) in vector.enumerated() { sum[index] += Double(value) }
        }
        return normalised(sum.map { Float($0) })
    }
}

enum RegistryText {
    /// UTC, millisecond precision, fixed width so that text order is time order.
    /// Milliseconds are rounded here and appended by hand: the fractional-seconds format style
    /// truncates, so a parsed ".303" (stored as .30299…) would print back as ".302".
    static func timestamp(_ date: Date = Date()) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle()) // "…T12:00:00Z"
        let fraction = Int(milliseconds - seconds * 1000)
        return whole.dropLast() + "." + String(format: "%03d", fraction) + "Z"
    }

    /// An ISO 8601 UTC timestamp from outside (an import) re-formatted like `timestamp()`; nil if
    /// unparseable. Fractional seconds are optional on input.
    static func normalisedTimestamp(_ text: String) -> String? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? withFraction.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
            return nil
        }
        return timestamp(date)
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Artist ids: letters (any script), digits, `-`, `_`, `.`; 1...128 characters; no leading dot.
    static func isValidArtistID(_ id: String) -> Bool {
        guard (1...128).contains(id.count), !id.hasPrefix(".") else { return false }
        return id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// Slug used as the default id: diacritics folded, lower case, runs of other characters become `-`.
    /// "Björk Guðmundsdóttir" -> "bjork-guðmundsdottir". Letters without a diacritic-free form are kept.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        var pendingDash = false
        for character in folded {
            if character.isLetter || character.isNumber {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            } else {
                pendingDash = true
            }
        }
        return String(slug.prefix(128))
    }

    /// Names compare case-insensitively after trimming and collapsing whitespace.
    static func normalisedName(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        normalisedName(a).caseInsensitiveCompare(normalisedName(b)) == .orderedSame
    }
}
