/// A dense float32 tensor, row-major (C order), as stored in the model file.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    /// Traps when `values.count` differs from the product of `shape`: a mismatch is a programming error.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "Tensor: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = values
    }
}
