/// Reader for PyTorch's legacy (pre-1.6, non-zip) `torch.save` format, without Python and without executing
/// pickle. Layout, in order:
///   1. pickle: magic number 0x1950a86a20f9469cfc6c   2. pickle: protocol version 1001
///   3. pickle: sys_info dict (must say little-endian) 4. pickle: the saved object; tensors appear as
///      `_rebuild_tensor_v2(<persistent id ('storage', torch.FloatStorage, key, location, numel, view)>, ...)`
///   5. pickle: list of storage keys
///   6. per key in that order: int64 LE element count, then count × float32 LE.
/// Several tensors may view one storage at different offsets (cuDNN's flat LSTM weights), so tensors are
/// gathered through their offset and strides.
enum TorchLegacyCheckpoint {
    static let magicNumber: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19] // LE of 0x1950a86a20f9469cfc6c
    static let protocolVersion = 1001

    /// The float tensors of the top-level dict's `stateKey` entry (e.g. `model_state`), in checkpoint order.
    static func stateDict(from bytes: [UInt8], stateKey: String) throws -> [(name: String, tensor: Tensor)] {
        do {
            return try parse(bytes, stateKey: stateKey)
        } catch let error as PickleError {
            throw ModelError.invalidCheckpoint(reason: error.description)
        }
    }

    private static func parse(_ bytes: [UInt8], stateKey: String) throws -> [(name: String, tensor: Tensor)] {
        var reader = SafePickleReader(bytes: bytes)
        guard case .bigInt(let magic) = try reader.readPickle(), magic == magicNumber else {
            throw ModelError.invalidCheckpoint(reason: "magic number missing (a zip-format or non-torch file?)")
        }
        guard try reader.readPickle().int == protocolVersion else {
            throw ModelError.invalidCheckpoint(reason: "protocol version is not \(protocolVersion)")
        }
        guard case .bool(true)? = try reader.readPickle().dict?["little_endian"] else {
            throw ModelError.invalidCheckpoint(reason: "sys_info does not declare a little-endian file")
        }

        var declaredCounts: [String: Int] = [:]
        let root = try reader.readPickle(persistentLoad: { pid in
            guard let fields = pid.tuple, fields.count == 6, fields[0].string == "storage",
                  case .global(.floatStorage) = fields[1], let key = fields[2].string, let count = fields[4].int, count >= 0
            else { throw PickleError(offset: -1, message: "persistent id is not a FloatStorage reference") }
            // View metadata (field 5) was only written by torch < 0.4 for storage views; none may appear here.
            guard case .none = fields[5] else { throw PickleError(offset: -1, message: "storage views are not supported") }
            declaredCounts[key] = count
            return .persistent(TorchStorageRef(key: key, elementCount: count))
        })
        guard let state = root.dict?[stateKey]?.dict else {
            throw ModelError.invalidCheckpoint(reason: "no '\(stateKey)' dict in the checkpoint")
        }
        var refs: [(name: String, ref: TorchTensorRef)] = []
        for (key, value) in state.entries {
            guard let name = key.string, case .tensor(let ref) = value else {
                throw ModelError.invalidCheckpoint(reason: "'\(stateKey)' holds a non-tensor entry")
            }
            refs.append((name, ref))
        }

        guard case .list(let keyList) = try reader.readPickle() else {
            throw ModelError.invalidCheckpoint(reason: "storage key list missing")
        }
        let needed = Set(refs.map(\.ref.storage.key))
        var storages: [String: [Float]] = [:]
        var position = reader.position
        for item in keyList.items {
            guard let key = item.string else { throw ModelError.invalidCheckpoint(reason: "storage key is not a string") }
            guard bytes.count - position >= 8 else { throw ModelError.invalidCheckpoint(reason: "truncated before storage \(key)") }
            let count = Int(truncatingIfNeeded: loadUInt64LE(bytes, at: position))
            position += 8
            guard count >= 0, count <= (bytes.count - position) / 4 else {
                throw ModelError.invalidCheckpoint(reason: "storage \(key) claims \(count) elements past the end of the file")
            }
            guard declaredCounts[key] == nil || declaredCounts[key] == count else {
                throw ModelError.invalidCheckpoint(reason: "storage \(key) has \(count) elements, the pickle says \(declaredCounts[key]!)")
            }
            if needed.contains(key) { storages[key] = loadFloat32LE(bytes, at: position, count: count) }
            position += 4 * count
        }
        guard position == bytes.count else {
            throw ModelError.invalidCheckpoint(reason: "\(bytes.count - position) trailing bytes after the last storage")
        }

        return try refs.map { name, ref in
            guard let storage = storages[ref.storage.key] else {
                throw ModelError.invalidCheckpoint(reason: "tensor \(name) refers to missing storage \(ref.storage.key)")
            }
            return (name, try gather(ref, from: storage, name: name))
        }
    }

    /// Copies a strided view of `storage` into a dense row-major tensor, after checking every index is in bounds.
    private static func gather(_ ref: TorchTensorRef, from storage: [Float], name: String) throws -> Tensor {
        let shape = ref.shape, strides = ref.strides
        guard ref.offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.invalidCheckpoint(reason: "tensor \(name) has a negative offset, size or stride")
        }
        let count = shape.reduce(1, *)
        guard count > 0 else { return Tensor(shape: shape, values: []) }
        let lastIndex = ref.offset + zip(shape, strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
        guard lastIndex < storage.count else {
            throw ModelError.invalidCheckpoint(reason: "tensor \(name) reaches element \(lastIndex) of a \(storage.count)-element storage")
        }
        var values = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<count {
            values[flat] = storage[ref.offset + zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }]
            // Odometer increment over the row-major index.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: shape, values: values)
    }

    private static func loadUInt64LE(_ bytes: [UInt8], at position: Int) -> UInt64 {
        bytes[position..<position + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func loadFloat32LE(_ bytes: [UInt8], at position: Int, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position + 4 * $0, as: UInt32.self))) }
        }
    }
}
