/// A value produced by `SafePickleReader`. Nothing here is executable: allow-listed globals become inert tags and
/// the only "calls" the reader performs are the few constructors it knows by name (see `PickleGlobal`).
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits, as little-endian two's-complement bytes (pickle's LONG1 layout).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    case global(PickleGlobal)
    /// Whatever the caller's persistent-load hook returned (for torch: a storage reference).
    case persistent(TorchStorageRef)
    case tensor(TorchTensorRef)

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
    var dict: PickleDict? { if case .dict(let d) = self { d } else { nil } }
    var tuple: [PickleValue]? { if case .tuple(let t) = self { t } else { nil } }

    /// Tuples of ints (shapes, strides).
    var intTuple: [Int]? {
        guard let items = tuple else { return nil }
        let ints = items.compactMap(\.int)
        return ints.count == items.count ? ints : nil
    }
}

/// Mutable containers are reference types because pickle mutates them after memoising them (BINPUT then
/// SETITEMS), and every memo reference must see those items.
final class PickleList {
    var items: [PickleValue] = []
}

/// An insertion-ordered dict (OrderedDict and plain dicts alike; key order is the checkpoint's order).
final class PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []

    subscript(key: String) -> PickleValue? {
        entries.first { $0.key.string == key }?.value
    }
}

/// The only globals a checkpoint may reference. Anything else is rejected, which is what makes reading an
/// untrusted pickle safe: there is no path from file bytes to arbitrary code.
enum PickleGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2
    case floatStorage
    /// int64 storages: BatchNorm's `num_batches_tracked` counters in zip-format state dicts.
    case longStorage

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch", "FloatStorage"): self = .floatStorage
        case ("torch", "LongStorage"): self = .longStorage
        default: return nil
        }
    }
}

/// Element type of a torch storage, from its persistent id's storage class.
enum TorchStorageElement: Equatable {
    case float32
    case int64

    var byteCount: Int { self == .float32 ? 4 : 8 }
}

/// A storage as named by a torch persistent id: `('storage', torch.FloatStorage, key, location, numel, view)`
/// (legacy format) or `('storage', torch.FloatStorage|LongStorage, key, location, numel)` (zip format).
struct TorchStorageRef {
    var key: String
    var elementCount: Int
    var element: TorchStorageElement = .float32
}

/// The arguments of `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`.
struct TorchTensorRef {
    var storage: TorchStorageRef
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}

/// Failure while decoding a pickle; `offset` is the byte position of the offending opcode in the whole file.
struct PickleError: Error, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { "pickle at byte \(offset): \(message)" }
}

/// A restricted pickle (protocol ≤ 2) interpreter: a stack machine over the opcodes `torch.save` emits (legacy
/// and zip formats both pickle with protocol 2). It never imports or calls anything; GLOBAL resolves only
/// `PickleGlobal`, REDUCE only builds an OrderedDict or a tensor reference, and BINPERSID goes through a
/// caller-supplied hook.
struct SafePickleReader {
    private let bytes: [UInt8]
    private(set) var position: Int

    init(bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Reads one pickle (up to and including STOP) starting at `position`, leaving `position` just after it.
    mutating func readPickle(
        persistentLoad: (PickleValue) throws -> PickleValue = { _ in throw PickleError(offset: -1, message: "unexpected persistent id") }
    ) throws -> PickleValue {
        var stack: [PickleValue] = []
        var marks: [Int] = []
        var memo: [Int: PickleValue] = [:]

        func pop(_ at: Int) throws -> PickleValue {
            guard let value = stack.popLast() else { throw PickleError(offset: at, message: "stack underflow") }
            return value
        }
        func popToMark(_ at: Int) throws -> [PickleValue] {
            guard let mark = marks.popLast(), mark <= stack.count else { throw PickleError(offset: at, message: "no MARK") }
            let items = Array(stack[mark...])
            stack.removeSubrange(mark...)
            return items
        }
        func top(_ at: Int) throws -> PickleValue {
            guard let value = stack.last else { throw PickleError(offset: at, message: "stack underflow") }
            return value
        }
        func memoGet(_ index: Int, _ at: Int) throws -> PickleValue {
            guard let value = memo[index] else { throw PickleError(offset: at, message: "memo \(index) unset") }
            return value
        }
        func setItems(_ pairs: [PickleValue], into target: PickleValue, _ at: Int) throws {
            guard case .dict(let dict) = target, pairs.count % 2 == 0 else {
                throw PickleError(offset: at, message: "SETITEM(S) on a non-dict or odd item count")
            }
            for i in stride(from: 0, to: pairs.count, by: 2) {
                switch pairs[i] {
                case .string, .int: dict.entries.append((pairs[i], pairs[i + 1]))
                default: throw PickleError(offset: at, message: "dict key is neither str nor int")
                }
            }
        }
        func append(_ items: [PickleValue], to target: PickleValue, _ at: Int) throws {
            guard case .list(let list) = target else { throw PickleError(offset: at, message: "APPEND(S) on a non-list") }
            list.items.append(contentsOf: items)
        }

        while true {
            let at = position
            let opcode = try readUInt8()
            switch opcode {
            case 0x80: // PROTO
                let version = try readUInt8()
                guard version <= 2 else { throw PickleError(offset: at, message: "pickle protocol \(version) not supported (torch.save uses 2)") }
            case 0x2E: // STOP
                guard stack.count == 1, marks.isEmpty else { throw PickleError(offset: at, message: "STOP with \(stack.count) stack items") }
                return stack[0]
            case 0x28: marks.append(stack.count)                                  // MARK
            case 0x7D: stack.append(.dict(PickleDict()))                          // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))                          // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))                                   // EMPTY_TUPLE
            case 0x4E: stack.append(.none)                                        // NONE
            case 0x88: stack.append(.bool(true))                                  // NEWTRUE
            case 0x89: stack.append(.bool(false))                                 // NEWFALSE
            case 0x4A: stack.append(.int(Int(Int32(bitPattern: try readUInt32LE())))) // BININT
            case 0x4B: stack.append(.int(Int(try readUInt8())))                   // BININT1
            case 0x4D: stack.append(.int(Int(try readUInt16LE())))                // BININT2
            case 0x8A: stack.append(try readLong1(at))                            // LONG1
            case 0x47: stack.append(.float(Double(bitPattern: try readUInt64BE()))) // BINFLOAT (big-endian)
            case 0x58: stack.append(.string(try readUTF8(count: Int(try readUInt32LE()), at))) // BINUNICODE
            case 0x8C: stack.append(.string(try readUTF8(count: Int(try readUInt8()), at)))    // SHORT_BINUNICODE
            case 0x74: stack.append(.tuple(try popToMark(at)))                    // TUPLE
            case 0x85: stack.append(.tuple([try pop(at)]))                        // TUPLE1
            case 0x86:                                                            // TUPLE2
                let b = try pop(at), a = try pop(at)
                stack.append(.tuple([a, b]))
            case 0x87:                                                            // TUPLE3
                let c = try pop(at), b = try pop(at), a = try pop(at)
                stack.append(.tuple([a, b, c]))
            case 0x71: memo[Int(try readUInt8())] = try top(at)                   // BINPUT
            case 0x72: memo[Int(try readUInt32LE())] = try top(at)                // LONG_BINPUT
            case 0x68: stack.append(try memoGet(Int(try readUInt8()), at))        // BINGET
            case 0x6A: stack.append(try memoGet(Int(try readUInt32LE()), at))     // LONG_BINGET
            case 0x63:                                                            // GLOBAL "module\nname\n"
                let module = try readLine(at), name = try readLine(at)
                guard let global = PickleGlobal(module: module, name: name) else {
                    throw PickleError(offset: at, message: "global \(module).\(name) is not on the allow-list")
                }
                stack.append(.global(global))
            case 0x52:                                                            // REDUCE
                let args = try pop(at), callable = try pop(at)
                stack.append(try reduce(callable, args, at))
            case 0x51:                                                            // BINPERSID
                let pid = try pop(at)
                do { stack.append(try persistentLoad(pid)) } catch let error as PickleError {
                    throw PickleError(offset: at, message: error.message)
                }
            case 0x73:                                                            // SETITEM
                let value = try pop(at), key = try pop(at)
                try setItems([key, value], into: try top(at), at)
            case 0x75:                                                            // SETITEMS
                let pairs = try popToMark(at)
                try setItems(pairs, into: try top(at), at)
            case 0x61: try append([try pop(at)], to: try top(at), at)             // APPEND
            case 0x65:                                                            // APPENDS
                let items = try popToMark(at)
                try append(items, to: try top(at), at)
            case 0x62:                                                            // BUILD
                // torch attaches `_metadata` (module versions) to the state dict via BUILD; it carries no
                // weights, so the state is dropped. BUILD on anything other than a dict is refused.
                _ = try pop(at)
                guard case .dict = try top(at) else { throw PickleError(offset: at, message: "BUILD on a non-dict") }
            default:
                throw PickleError(offset: at, message: "opcode 0x\(String(opcode, radix: 16)) not supported")
            }
        }
    }

    private func reduce(_ callable: PickleValue, _ args: PickleValue, _ at: Int) throws -> PickleValue {
        guard case .global(let global) = callable, let arguments = args.tuple else {
            throw PickleError(offset: at, message: "REDUCE of a non-global or without an argument tuple")
        }
        switch global {
        case .orderedDict:
            guard arguments.isEmpty else { throw PickleError(offset: at, message: "OrderedDict with arguments") }
            return .dict(PickleDict())
        case .rebuildTensorV2:
            guard arguments.count >= 4, case .persistent(let storage) = arguments[0],
                  let offset = arguments[1].int, let shape = arguments[2].intTuple, let strides = arguments[3].intTuple,
                  shape.count == strides.count
            else { throw PickleError(offset: at, message: "malformed _rebuild_tensor_v2 arguments") }
            return .tensor(TorchTensorRef(storage: storage, offset: offset, shape: shape, strides: strides))
        case .floatStorage, .longStorage:
            throw PickleError(offset: at, message: "a storage class may only appear inside a persistent id")
        }
    }

    // MARK: - Primitive reads

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw PickleError(offset: position, message: "truncated: need \(count) bytes")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func readUInt8() throws -> UInt8 { try take(1).first! }

    private mutating func readUInt16LE() throws -> UInt16 {
        try take(2).reversed().reduce(0) { $0 << 8 | UInt16($1) }
    }

    private mutating func readUInt32LE() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    private mutating func readUInt64BE() throws -> UInt64 {
        try take(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func readLong1(_ at: Int) throws -> PickleValue {
        let raw = Array(try take(Int(try readUInt8())))
        guard raw.count <= 8 else { return .bigInt(raw) }
        guard let last = raw.last else { return .int(0) }
        // Sign-extend the little-endian two's-complement bytes to 64 bits.
        let fill: UInt8 = last & 0x80 != 0 ? 0xFF : 0
        let padded = raw + [UInt8](repeating: fill, count: 8 - raw.count)
        return .int(Int(Int64(bitPattern: padded.reversed().reduce(0) { $0 << 8 | UInt64($1) })))
    }

    private mutating func readUTF8(count: Int, _ at: Int) throws -> String {
        guard let string = String(validating: try take(count), as: UTF8.self) else {
            throw PickleError(offset: at, message: "invalid UTF-8 string")
        }
        return string
    }

    private mutating func readLine(_ at: Int) throws -> String {
        guard let newline = bytes[position...].firstIndex(of: 0x0A), newline - position <= 256 else {
            throw PickleError(offset: at, message: "unterminated GLOBAL name")
        }
        let line = try readUTF8(count: newline - position, at)
        position += 1
        return line
    }
}
