import Foundation

/// The parts of a TFLite model Backdrop needs, read with every offset, length and index checked.
///
/// Only the first subgraph is read: the segmentation models have exactly one.
public struct TFLiteModel: Sendable {
    /// The whole file; constant tensor data are byte ranges into it.
    public let data: [UInt8]
    public let tensors: [Tensor]
    public let operators: [Operator]
    public let inputs: [Int]
    public let outputs: [Int]
    /// Byte ranges of the model's buffers within `data` (empty for non-constant tensors).
    public let buffers: [Range<Int>]

    /// Upper bounds that keep a hostile file from making us allocate or loop without end.
    static let maxTensors = 100_000
    static let maxOperators = 100_000
    static let maxRank = 8

    public init(contentsOf url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw TFLiteError.notAModel("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(bytes: bytes)
    }

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 8 else {
            throw TFLiteError.notAModel("file is \(bytes.count) bytes, too short for a FlatBuffer")
        }
        // The identifier is optional in FlatBuffers but every TFLite converter writes it.
        guard bytes[4..<8].elementsEqual("TFL3".utf8) else {
            throw TFLiteError.notAModel("missing the 'TFL3' file identifier")
        }
        let buffer = FlatBuffer(bytes: bytes)
        let model = try buffer.root()
        data = bytes

        let version = try model.uint32(0)
        guard version == 3 else { throw TFLiteError.unsupported("schema version \(version), expected 3") }

        let codes = try model.tableVector(1).map(Self.operatorKind)
        buffers = try model.tableVector(4).enumerated().map { index, table in
            try Self.bufferRange(table, index: index, fileSize: bytes.count)
        }
        let subgraphs = try model.tableVector(2)
        guard let graph = subgraphs.first else { throw TFLiteError.malformed("the model has no subgraph") }

        let tensorTables = try graph.tableVector(0)
        guard tensorTables.count <= Self.maxTensors else {
            throw TFLiteError.malformed("\(tensorTables.count) tensors")
        }
        let bufferCount = buffers.count
        tensors = try tensorTables.enumerated().map { index, table in
            try Self.tensor(table, index: index, bufferCount: bufferCount)
        }
        let tensorCount = tensors.count
        func checkedIndices(_ raw: [Int32], what: String, allowAbsent: Bool) throws -> [Int] {
            try raw.map { value in
                if allowAbsent && value == -1 { return -1 }
                guard value >= 0, Int(value) < tensorCount else {
                    throw TFLiteError.malformed("\(what) refers to tensor \(value) of \(tensorCount)")
                }
                return Int(value)
            }
        }
        inputs = try checkedIndices(try graph.int32Vector(1), what: "graph input", allowAbsent: false)
        outputs = try checkedIndices(try graph.int32Vector(2), what: "graph output", allowAbsent: false)

        let operatorTables = try graph.tableVector(3)
        guard operatorTables.count <= Self.maxOperators else {
            throw TFLiteError.malformed("\(operatorTables.count) operators")
        }
        operators = try operatorTables.enumerated().map { index, table in
            let codeIndex = Int(try table.uint32(0))
            guard codeIndex < codes.count else {
                throw TFLiteError.malformed("operator \(index) uses operator code \(codeIndex) of \(codes.count)")
            }
            let kind = codes[codeIndex]
            return Operator(
                index: index, kind: kind,
                inputs: try checkedIndices(try table.int32Vector(1), what: "operator \(index) input", allowAbsent: true),
                outputs: try checkedIndices(try table.int32Vector(2), what: "operator \(index) output", allowAbsent: false),
                options: try Self.options(table, kind: kind, index: index))
        }
    }

    /// The raw bytes of a constant tensor, checked against its declared size.
    public func constantBytes(of tensor: Tensor) throws -> ArraySlice<UInt8>? {
        let range = buffers[tensor.buffer]
        guard !range.isEmpty else { return nil }
        guard let width = tensor.type.byteWidth else {
            throw TFLiteError.unsupported("tensor '\(tensor.name)' has type \(tensor.type)")
        }
        let expected = tensor.elementCount * width
        guard range.count == expected else {
            throw TFLiteError.malformed("tensor '\(tensor.name)' of shape \(tensor.shape) needs \(expected) bytes, its buffer has \(range.count)")
        }
        return data[range]
    }

    static func operatorKind(_ table: FlatBuffer.Table) throws -> OperatorKind {
        // Codes above 127 live in `builtin_code`; older files only set the deprecated byte.
        let deprecated = Int32(Int8(bitPattern: try table.uint8(0)))
        let code = max(deprecated, try table.int32(3))
        if code == BuiltinOperator.custom.rawValue {
            guard let name = try table.string(1) else { throw TFLiteError.malformed("custom operator without a name") }
            return .custom(name)
        }
        if let op = BuiltinOperator(rawValue: code) { return .builtin(op) }
        return .unknownBuiltin(code)
    }

    static func bufferRange(_ table: FlatBuffer.Table, index: Int, fileSize: Int) throws -> Range<Int> {
        if let range = try table.byteRange(0) { return range }
        // Large models keep data outside the FlatBuffer, addressed from the file start.
        let offset = try table.uint64(1), size = try table.uint64(2)
        guard offset > 1 || size > 0 else { return 0..<0 }
        guard offset <= UInt64(fileSize), size <= UInt64(fileSize) - offset else {
            throw TFLiteError.outOfBounds(what: "buffer \(index)", offset: Int(clamping: offset),
                                          length: Int(clamping: size), fileSize: fileSize)
        }
        return Int(offset)..<Int(offset + size)
    }

    static func tensor(_ table: FlatBuffer.Table, index: Int, bufferCount: Int) throws -> Tensor {
        let rawShape = try table.int32Vector(0)
        guard rawShape.count <= maxRank else { throw TFLiteError.malformed("tensor \(index) has rank \(rawShape.count)") }
        var elements = 1
        let shape: [Int] = try rawShape.map { dim in
            guard dim >= 0 else { throw TFLiteError.malformed("tensor \(index) has dimension \(dim)") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(dim))
            guard !overflow, product <= 1 << 31 else {
                throw TFLiteError.malformed("tensor \(index) of shape \(rawShape) is too large")
            }
            elements = product
            return Int(dim)
        }
        let rawType = try table.uint8(1)
        guard let type = TensorType(rawValue: rawType) else {
            throw TFLiteError.unsupported("tensor \(index) has type code \(rawType)")
        }
        let buffer = Int(try table.uint32(2))
        guard buffer < bufferCount else {
            throw TFLiteError.malformed("tensor \(index) uses buffer \(buffer) of \(bufferCount)")
        }
        return Tensor(index: index, name: try table.string(3) ?? "", shape: shape, type: type, buffer: buffer)
    }

    /// Union tags of `BuiltinOptions` in the schema.
    enum OptionsType: UInt8 {
        case conv2D = 1, depthwiseConv2D = 2, pool2D = 5, add = 11, resizeBilinear = 15, mul = 21, reducer = 27
    }

    static func options(_ table: FlatBuffer.Table, kind: OperatorKind, index: Int) throws -> OperatorOptions {
        let unionType = try table.uint8(3)
        let options = try table.table(4)
        func expect(_ type: OptionsType) throws -> FlatBuffer.Table? {
            guard options != nil else { return nil }
            guard unionType == type.rawValue else {
                throw TFLiteError.malformed("operator \(index) (\(kind)) carries options of union type \(unionType), expected \(type.rawValue)")
            }
            return options
        }
        func padding(_ t: FlatBuffer.Table?, _ field: Int) throws -> Padding {
            let raw = try t?.uint8(field) ?? 0
            guard let p = Padding(rawValue: raw) else { throw TFLiteError.malformed("operator \(index) has padding \(raw)") }
            return p
        }
        func activation(_ t: FlatBuffer.Table?, _ field: Int) throws -> FusedActivation {
            let raw = try t?.uint8(field) ?? 0
            guard let a = FusedActivation(rawValue: raw) else {
                throw TFLiteError.malformed("operator \(index) has fused activation \(raw)")
            }
            return a
        }
        func int(_ t: FlatBuffer.Table?, _ field: Int, _ fallback: Int32) throws -> Int {
            Int(try t?.int32(field, default: fallback) ?? fallback)
        }

        switch kind {
        case .custom:
            guard let range = try table.byteRange(5) else { return .custom([]) }
            return .custom(Array(table.buffer.bytes[range]))
        case .unknownBuiltin:
            return .other(unionType: unionType)
        case let .builtin(op):
            switch op {
            case .conv2D:
                let t = try expect(.conv2D)
                return .conv2D(padding: try padding(t, 0), strideW: try int(t, 1, 1), strideH: try int(t, 2, 1),
                               activation: try activation(t, 3), dilationW: try int(t, 4, 1), dilationH: try int(t, 5, 1))
            case .depthwiseConv2D:
                let t = try expect(.depthwiseConv2D)
                return .depthwiseConv2D(padding: try padding(t, 0), strideW: try int(t, 1, 1), strideH: try int(t, 2, 1),
                                        depthMultiplier: try int(t, 3, 1), activation: try activation(t, 4),
                                        dilationW: try int(t, 5, 1), dilationH: try int(t, 6, 1))
            case .averagePool2D, .maxPool2D:
                let t = try expect(.pool2D)
                return .pool2D(padding: try padding(t, 0), strideW: try int(t, 1, 1), strideH: try int(t, 2, 1),
                               filterW: try int(t, 3, 1), filterH: try int(t, 4, 1), activation: try activation(t, 5))
            case .add:
                return .activation(try activation(try expect(.add), 0))
            case .mul:
                return .activation(try activation(try expect(.mul), 0))
            case .resizeBilinear:
                let t = try expect(.resizeBilinear)
                return .resizeBilinear(alignCorners: try t?.bool(2) ?? false, halfPixelCenters: try t?.bool(3) ?? false)
            case .mean:
                return .reducer(keepDims: try expect(.reducer)?.bool(0) ?? false)
            default:
                return options == nil ? .none : .other(unionType: unionType)
            }
        }
    }
}
