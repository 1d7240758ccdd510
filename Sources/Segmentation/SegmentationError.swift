/// Why a frame could not be segmented.
public enum SegmentationError: Error, CustomStringConvertible {
    case wrongInputSize(width: Int, height: Int, expected: (Int, Int))

    public var description: String {
        switch self {
        case let .wrongInputSize(width, height, expected):
            return "model input is \(width)x\(height), the model needs \(expected.0)x\(expected.1)"
        }
    }
}
