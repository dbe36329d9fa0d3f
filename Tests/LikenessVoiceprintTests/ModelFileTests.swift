import Foundation
import Testing
@testable import LikenessVoiceprint

@Suite struct SafeTensorsTests {
    private func sample() -> SafeTensorsFile {
        SafeTensorsFile(
            tensors: [
                "b": Tensor(shape: [3], values: [1, -2.5, .pi]),
                "a": Tensor(shape: [2, 2], values: [0, 1, 2, 3]),
                "empty": Tensor(shape: [0, 4], values: []),
            ],
            metadata: ["model_id": "test", "note": "round trip"]
        )
    }

    @Test func roundTripIsExactAndAligned() throws {
        let original = sample()
        let data = try original.serialized()
        let headerLength = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect((8 + headerLength) % 8 == 0)
        let decoded = try SafeTensorsFile(data: data, path: "memory")
        #expect(decoded.tensors == original.tensors)
        #expect(decoded.metadata == original.metadata)
        #expect(try decoded.serialized() == data)
    }

    @Test func missingFileNamesTheSetupCommand() throws {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).safetensors")
        let error = #expect(throws: ModelError.self) { try SafeTensorsFile(contentsOf: url) }
        #expect(error?.description.contains(GE2EModelSource.setupCommand) == true)
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func corruptFilesAreRejected() throws {
        let good = [UInt8](try sample().serialized())
        let headerLength = Int(good.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let header = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)

        func withHeader(_ newHeader: String) -> [UInt8] {
            var bytes = Array(newHeader.utf8)
            bytes += [UInt8](repeating: 0x20, count: (8 - bytes.count % 8) % 8)
            return withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init) + bytes + good[(8 + headerLength)...]
        }
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated data", Array(good.dropLast(4))),
            ("header length past the end", [0xFF, 0xFF, 0, 0, 0, 0, 0, 0] + good[8...]),
            ("not JSON", withHeader("{\"a\": nonsense")),
            ("wrong dtype", withHeader(header.replacingOccurrences(of: "F32", with: "F16"))),
            ("shape/offset mismatch", withHeader(header.replacingOccurrences(of: "[2,2]", with: "[2,3]"))),
            ("trailing bytes", good + [0, 0, 0, 0]),
        ]
        for (label, bytes) in cases {
            let error = #expect(throws: ModelError.self, "\(label)") { try SafeTensorsFile(data: Data(bytes), path: "bad.safetensors") }
            #expect(error?.description.contains(GE2EModelSource.setupCommand) == true, "\(label)")
        }
    }

    @Test func encoderRejectsAFileWithoutTheGE2ETensors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("wrong.safetensors")
        var file = sample()
        file.metadata["model_id"] = GE2EModelSource.modelID
        try file.write(to: url)
        let error = #expect(throws: ModelError.self) { try GE2EEncoder(modelURL: url) }
        #expect(error?.description.contains("lstm.weight_ih_l0") == true)
    }
}

@Suite struct SafePickleTests {
    /// PROTO 2, GLOBAL 'os system', STOP — the classic pickle exploit must fail at GLOBAL, before any call.
    @Test func disallowedGlobalIsRefused() {
        let bytes: [UInt8] = [0x80, 0x02, 0x63] + Array("os\nsystem\n".utf8) + [0x2E]
        var reader = SafePickleReader(bytes: bytes)
        #expect(throws: PickleError.self) { try reader.readPickle() }
    }

    @Test func decodesContainersAndMemo() throws {
        // {'k': [1, -2, 'x'], 'big': LONG1 of 9 bytes} with the list memoised and fetched again as 'again'.
        var bytes: [UInt8] = [0x80, 0x02, 0x7D, 0x28]                        // PROTO 2, EMPTY_DICT, MARK
        bytes += [0x8C, 1] + Array("k".utf8)                                 // SHORT_BINUNICODE 'k'
        bytes += [0x5D, 0x71, 7, 0x28, 0x4B, 1, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF] // EMPTY_LIST, BINPUT 7, MARK, 1, -2
        bytes += [0x58, 1, 0, 0, 0] + Array("x".utf8) + [0x65]               // BINUNICODE 'x', APPENDS
        bytes += [0x8C, 5] + Array("again".utf8) + [0x68, 7]                 // 'again': BINGET 7
        bytes += [0x8C, 3] + Array("big".utf8) + [0x8A, 9] + [UInt8](repeating: 0, count: 8) + [1]
        bytes += [0x75, 0x2E]                                                // SETITEMS, STOP
        var reader = SafePickleReader(bytes: bytes)
        let value = try reader.readPickle()
        guard case .list(let list)? = value.dict?["k"], case .list(let again)? = value.dict?["again"] else {
            Issue.record("expected two lists")
            return
        }
        #expect(list === again)
        #expect(list.items.compactMap(\.int) == [1, -2])
        #expect(list.items.last?.string == "x")
        guard case .bigInt(let big)? = value.dict?["big"] else {
            Issue.record("expected a big integer")
            return
        }
        #expect(big == [UInt8](repeating: 0, count: 8) + [1])
        #expect(reader.position == bytes.count)
    }

    @Test func truncatedInputFails() {
        var reader = SafePickleReader(bytes: [0x80, 0x02, 0x58, 9, 0, 0, 0, 0x41])
        #expect(throws: PickleError.self) { try reader.readPickle() }
    }
}

@Suite struct CheckpointImportTests {
    @Test(.enabled(if: TestPaths.wheel != nil, "the Resemblyzer wheel: set LIKENESS_WHEEL or run `bash scripts/setup.sh`"))
    func wheelImportMatchesExpectedShapesAndModelFile() throws {
        let wheel = try #require(TestPaths.wheel)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent(GE2EModelSource.fileName)
        let info = try ModelImporter.importWheel(at: wheel, to: output)

        #expect(info.id == GE2EModelSource.modelID)
        #expect(info.metadata["source_wheel_sha256"] == GE2EModelSource.wheelSHA256)
        let expected = GE2EModelSource.tensorShapes.sorted { $0.name < $1.name }
        #expect(info.tensors.map(\.name) == expected.map(\.name))
        #expect(info.tensors.map(\.shape) == expected.map(\.shape))

        // Conversion is deterministic: a second import gives the same bytes, and so does the shared model file.
        let again = try ModelImporter.importWheel(at: wheel, to: directory.appendingPathComponent("again.safetensors"))
        #expect(again.sha256 == info.sha256)
        if TestPaths.hasModel {
            #expect(try FileDigest.sha256Hex(of: TestPaths.model) == info.sha256)
        }

        // The LSTM weights share one cuDNN storage in the checkpoint; each must come from its own offset.
        let file = try SafeTensorsFile(contentsOf: output)
        let ih0 = try #require(file.tensors["lstm.weight_ih_l0"]), hh0 = try #require(file.tensors["lstm.weight_hh_l0"])
        #expect(ih0.values != Array(hh0.values.prefix(ih0.values.count)))
        #expect(file.tensors.values.allSatisfy { $0.values.allSatisfy(\.isFinite) })
    }

    @Test(.enabled(if: TestPaths.wheel != nil, "the Resemblyzer wheel: set LIKENESS_WHEEL or run `bash scripts/setup.sh`"))
    func wrongChecksumIsRefused() throws {
        let wheel = try #require(TestPaths.wheel)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("never.safetensors")
        let error = #expect(throws: ModelError.self) {
            try ModelImporter.importWheel(at: wheel, expectedSHA256: String(repeating: "0", count: 64), to: output)
        }
        #expect(error?.description.contains(GE2EModelSource.wheelSHA256) == true)
        #expect(!TestPaths.exists(output))
    }

    @Test(.enabled(if: TestPaths.hasModel)) func modelInfoDescribesTheSharedModel() throws {
        let info = try ModelInfo.read(at: TestPaths.model)
        #expect(info.id == GE2EModelSource.modelID)
        #expect(info.sha256.count == 64)
        #expect(info.tensors.count == GE2EModelSource.tensorShapes.count)
    }
}
