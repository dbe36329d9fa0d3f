import Foundation
import ZIPFoundation

/// Reader for PyTorch's zip-format `torch.save` (the default since torch 1.6), without Python and without
/// executing pickle. The file is a zip archive with one top-level folder `<name>/`:
///   - `<name>/data.pkl`: the pickled object (protocol 2). Tensors appear as
///     `_rebuild_tensor_v2(<persistent id ('storage', torch.FloatStorage|LongStorage, key, location, numel)>,
///     offset, size, stride, requires_grad, hooks)`; the only globals allowed are those of `PickleGlobal`.
///   - `<name>/data/<key>`: each storage's raw elements, little-endian (`<name>/byteorder`, when present, must
///     say `little`).
/// The object must be a state dict: a dict (or OrderedDict) of name → tensor. Float32 tensors are returned;
/// int64 ones (BatchNorm's `num_batches_tracked`) are checked and dropped. Tensors must be dense row-major views
/// of their storage (what `state_dict()` holds); anything else is refused rather than guessed at.
enum TorchZipCheckpoint {
    /// The float tensors of the checkpoint in `data`, in checkpoint order.
    static func stateDict(from data: Data) throws -> [(name: String, tensor: Tensor)] {
        do {
            return try parse(data)
        } catch let error as PickleError {
            throw ModelError.invalidCheckpoint(reason: error.description)
        }
    }

    private static func parse(_ data: Data) throws -> [(name: String, tensor: Tensor)] {
        func invalid(_ reason: String) -> ModelError { .invalidCheckpoint(reason: reason) }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw invalid("not a zip archive (a legacy torch.save file or not a checkpoint?)")
        }
        // One pass over the central directory; `archive[path]` would rescan it for each of ~1000 storages.
        var entries: [String: Entry] = [:]
        for entry in archive { entries[entry.path] = entry }
        let pickles = entries.keys.filter { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }
        guard pickles.count == 1, let pickle = pickles.first else {
            throw invalid("expected one <name>/data.pkl, found \(pickles.count)")
        }
        let prefix = String(pickle.dropLast("data.pkl".count))

        func read(_ entry: Entry, limit: Int) throws -> [UInt8] {
            guard entry.uncompressedSize <= UInt64(limit) else {
                throw invalid("\(entry.path) is \(entry.uncompressedSize) bytes, more than the \(limit) expected")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            do { _ = try archive.extract(entry, skipCRC32: false) { bytes.append(contentsOf: $0) } } catch {
                throw invalid("cannot extract \(entry.path): \(error)")
            }
            return bytes
        }
        if let byteorder = entries[prefix + "byteorder"] {
            let order = String(decoding: try read(byteorder, limit: 16), as: UTF8.self)
            guard order == "little" else { throw invalid("byteorder is '\(order)', only little-endian is supported") }
        }

        var storages: [String: (element: TorchStorageElement, count: Int)] = [:]
        var reader = SafePickleReader(bytes: try read(entries[pickle]!, limit: 64 << 20))
        let root = try reader.readPickle(persistentLoad: { pid in
            guard let fields = pid.tuple, fields.count == 5, fields[0].string == "storage",
                  case .global(let storageClass) = fields[1], let key = fields[2].string,
                  let count = fields[4].int, count >= 0
            else { throw PickleError(offset: -1, message: "persistent id is not a storage reference") }
            let element: TorchStorageElement
            switch storageClass {
            case .floatStorage: element = .float32
            case .longStorage: element = .int64
            default: throw PickleError(offset: -1, message: "persistent id names a non-storage class")
            }
            if let known = storages[key], known != (element, count) {
                throw PickleError(offset: -1, message: "storage \(key) is declared twice with different types or sizes")
            }
            storages[key] = (element, count)
            return .persistent(TorchStorageRef(key: key, elementCount: count, element: element))
        })
        guard UInt64(reader.position) == entries[pickle]!.uncompressedSize else { throw invalid("bytes after the pickle's STOP") }
        guard let state = root.dict else { throw invalid("the checkpoint is not a state dict") }

        var loaded: [String: [Float]] = [:]
        var tensors: [(name: String, tensor: Tensor)] = []
        for (key, value) in state.entries {
            guard let name = key.string, case .tensor(let ref) = value else {
                throw invalid("the state dict holds a non-tensor entry")
            }
            let storage = ref.storage
            guard let entry = entries[prefix + "data/" + storage.key] else {
                throw invalid("tensor \(name) refers to missing storage \(storage.key)")
            }
            guard entry.uncompressedSize == UInt64(storage.elementCount * storage.element.byteCount) else {
                throw invalid("storage \(storage.key) holds \(entry.uncompressedSize) bytes, the pickle says \(storage.elementCount) elements")
            }
            let count = try denseElementCount(ref, name: name)
            guard storage.element == .float32 else { continue }
            if loaded[storage.key] == nil {
                let bytes = try read(entry, limit: storage.elementCount * 4)
                loaded[storage.key] = bytes.withUnsafeBytes { raw in
                    (0..<storage.elementCount).map {
                        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
                    }
                }
            }
            tensors.append((name, Tensor(shape: ref.shape, values: Array(loaded[storage.key]![ref.offset..<(ref.offset + count)]))))
        }
        return tensors
    }

    /// The element count of a tensor that is a dense row-major block of its storage, after checking that it is
    /// one and lies inside the storage.
    private static func denseElementCount(_ ref: TorchTensorRef, name: String) throws -> Int {
        guard ref.offset >= 0, ref.shape.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.invalidCheckpoint(reason: "tensor \(name) has a negative offset or size")
        }
        var expected = 1
        for axis in ref.shape.indices.reversed() {
            // A size-1 axis may carry any stride; it is never stepped along.
            guard ref.shape[axis] == 1 || ref.strides[axis] == expected else {
                throw ModelError.invalidCheckpoint(reason: "tensor \(name) is not a dense row-major view (strides \(ref.strides))")
            }
            let (product, overflow) = expected.multipliedReportingOverflow(by: ref.shape[axis])
            guard !overflow else { throw ModelError.invalidCheckpoint(reason: "tensor \(name) is too large") }
            expected = product
        }
        guard ref.offset + expected <= ref.storage.elementCount else {
            throw ModelError.invalidCheckpoint(reason: "tensor \(name) reaches past the end of storage \(ref.storage.key)")
        }
        return expected
    }
}
