/// Element types of TFLite tensors (schema values).
public enum TensorType: UInt8, Sendable {
    case float32 = 0
    case float16 = 1
    case int32 = 2
    case uint8 = 3
    case int64 = 4
    case string = 5
    case bool = 6
    case int16 = 7
    case complex64 = 8
    case int8 = 9
    case float64 = 10

    /// Bytes per element, where fixed.
    public var byteWidth: Int? {
        switch self {
        case .float32, .int32: return 4
        case .float16, .int16: return 2
        case .uint8, .int8, .bool: return 1
        case .int64, .float64, .complex64: return 8
        case .string: return nil
        }
    }
}

/// A tensor declaration: its shape, type and, for constants, the buffer holding its data.
public struct Tensor: Sendable {
    public let index: Int
    public let name: String
    public let shape: [Int]
    public let type: TensorType
    /// Index into `TFLiteModel.buffers`; buffer 0 is by convention empty.
    public let buffer: Int

    public var elementCount: Int { shape.reduce(1, *) }
}
