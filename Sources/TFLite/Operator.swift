/// The TFLite builtin operators Backdrop knows by name; any other code is kept as a number so the
/// refusal can name it.
public enum BuiltinOperator: Int32, Sendable, CaseIterable {
    case add = 0
    case averagePool2D = 1
    case concatenation = 2
    case conv2D = 3
    case depthwiseConv2D = 4
    case dequantize = 6
    case fullyConnected = 9
    case logistic = 14
    case maxPool2D = 17
    case mul = 18
    case relu = 19
    case reluN1To1 = 20
    case relu6 = 21
    case reshape = 22
    case resizeBilinear = 23
    case softmax = 25
    case tanh = 28
    case custom = 32
    case pad = 34
    case mean = 40
    case transposeConv = 67
    case hardSwish = 117
}

/// Activation fused into an operator's output.
public enum FusedActivation: UInt8, Sendable {
    case none = 0
    case relu = 1
    case reluN1To1 = 2
    case relu6 = 3
    case tanh = 4
    case signBit = 5
}

/// TFLite's two padding schemes.
public enum Padding: UInt8, Sendable {
    case same = 0
    case valid = 1
}

/// The options of the operators Backdrop reads; anything else stays `.other`.
public enum OperatorOptions: Sendable, Equatable {
    case none
    case conv2D(padding: Padding, strideW: Int, strideH: Int, activation: FusedActivation, dilationW: Int, dilationH: Int)
    case depthwiseConv2D(padding: Padding, strideW: Int, strideH: Int, depthMultiplier: Int,
                         activation: FusedActivation, dilationW: Int, dilationH: Int)
    case pool2D(padding: Padding, strideW: Int, strideH: Int, filterW: Int, filterH: Int, activation: FusedActivation)
    case activation(FusedActivation)
    case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
    case reducer(keepDims: Bool)
    /// A custom operator's raw option bytes.
    case custom([UInt8])
    /// A union type Backdrop does not decode.
    case other(unionType: UInt8)
}

/// What an operator is: a builtin by code, or a custom operator by name.
public enum OperatorKind: Sendable, Equatable, CustomStringConvertible {
    case builtin(BuiltinOperator)
    case unknownBuiltin(Int32)
    case custom(String)

    public var description: String {
        switch self {
        case let .builtin(op): return "\(op)"
        case let .unknownBuiltin(code): return "builtin operator #\(code)"
        case let .custom(name): return "custom operator '\(name)'"
        }
    }
}

/// One node of the graph, its tensors named by index into `TFLiteModel.tensors`.
public struct Operator: Sendable {
    public let index: Int
    public let kind: OperatorKind
    /// Tensor indices; -1 marks an optional input that is absent.
    public let inputs: [Int]
    public let outputs: [Int]
    public let options: OperatorOptions
}
