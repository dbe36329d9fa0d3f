import Foundation

/// How the SQLite store keeps embeddings: little-endian IEEE-754 float32, `dimension` values, no
/// header, so files are portable across machines.
enum EmbeddingBlob {
    static func encode(_ vector: [Float]) -> Data {
        let bits = vector.map { $0.bitPattern.littleEndian }
        return bits.withUnsafeBytes { Data($0) }
    }

    /// The floats of `blob`; nil when it is not `dimension` floats.
    static func decode(_ blob: Data, dimension: Int) -> [Float]? {
        guard dimension > 0, blob.count == dimension * 4 else { return nil }
        return blob.withUnsafeBytes { raw in
            #if _endian(little)
            // Same layout in memory: one bulk copy (index loading decodes ~10^5 blobs).
            return [Float](unsafeUninitializedCapacity: dimension) { buffer, count in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                count = dimension
            }
            #else
            return (0..<dimension).map { index in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
            #endif
        }
    }
}
