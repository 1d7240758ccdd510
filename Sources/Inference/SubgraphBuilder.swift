import CXNNPACK
import TFLite

/// Translates the operators of a TFLite model into an XNNPACK subgraph.
///
/// Every operator's shapes are checked against the arithmetic of its kind before XNNPACK sees
/// them: a hostile model must be refused here rather than trusted by the engine.
struct SubgraphBuilder {
    /// Graph rewrites that XNNPACK does not do itself; each computes the same function up to
    /// float rounding.
    struct Rewrites: OptionSet, Sendable {
        let rawValue: Int
        /// A 1x1 convolution (no activation) that reads only a bilinear resize runs before the
        /// resize, at the smaller size: both are linear per pixel and bilinear weights sum to 1.
        static let pointwiseBeforeResize = Rewrites(rawValue: 1)
        /// A transposed convolution whose kernel equals its stride (no overlap, no padding) is a
        /// 1x1 convolution to kernel-area times the channels followed by depth-to-space.
        static let transposeAsPointwise = Rewrites(rawValue: 2)
        static let all: Rewrites = [.pointwiseBeforeResize, .transposeAsPointwise]
        // Not here: fusing a RELU into the convolution before it (XNNPACK does that itself) and
        // XNN_FLAG_HINT_SPARSE_INFERENCE (these weights are dense: no NCHW rewrite happens).
    }

    let model: TFLiteModel
    let subgraph: xnn_subgraph_t
    let constants: ConstantStore
    let rewrites: Rewrites
    /// External value ids: the model input is 0, the output 1.
    static let inputID: UInt32 = 0
    static let outputID: UInt32 = 1

    private var values: [Int: UInt32] = [:]
    private var produced: Set<Int> = []
    /// Float data of constant tensors, including those made by DEQUANTIZE at load time.
    private var floatData: [Int: [Float]] = [:]
    /// Shapes that differ from the declared one (global pooling produces [N,1,1,C]).
    private var shapeOverride: [Int: [Int]] = [:]

    /// Block size of a depth-to-space left to the caller: when above 1, the external output holds
    /// the model output before that rearrangement (see `transposeAsPointwise`).
    private(set) var outputBlock = 1
    /// Operators (by index) that read each tensor; the model output counts one extra reader.
    private var readers: [Int: [Int]] = [:]
    /// Operators already defined as part of a rewrite of an earlier one.
    private var absorbed: Set<Int> = []

    init(model: TFLiteModel, subgraph: xnn_subgraph_t, constants: ConstantStore, rewrites: Rewrites = .all) {
        self.model = model
        self.subgraph = subgraph
        self.constants = constants
        self.rewrites = rewrites
    }

    mutating func build() throws {
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw InferenceError.unsupported(operator: -1, kind: "graph",
                                             reason: "\(model.inputs.count) inputs and \(model.outputs.count) outputs; expected one of each")
        }
        produced.insert(model.inputs[0])
        for (position, op) in model.operators.enumerated() {
            for tensor in Set(op.inputs) where tensor >= 0 { readers[tensor, default: []].append(position) }
        }
        readers[model.outputs[0], default: []].append(-1)
        for op in model.operators where op.kind == .builtin(.dequantize) {
            try dequantize(op)
        }
        for (position, op) in model.operators.enumerated() where op.kind != .builtin(.dequantize) && !absorbed.contains(position) {
            try define(op)
        }
        guard produced.contains(model.outputs[0]) else {
            throw InferenceError.inconsistent(operator: -1, kind: "graph", reason: "no operator produces the output tensor")
        }
    }

    // MARK: - Operators

    private mutating func define(_ op: Operator) throws {
        switch (op.kind, op.options) {
        case let (.builtin(.conv2D), .conv2D(padding, strideW, strideH, activation, dilationW, dilationH)):
            try convolution(op, padding: padding, stride: (strideH, strideW), dilation: (dilationH, dilationW),
                            activation: activation, depthwise: false, depthMultiplier: 1)
        case let (.builtin(.depthwiseConv2D), .depthwiseConv2D(padding, strideW, strideH, multiplier, activation, dilationW, dilationH)):
            try convolution(op, padding: padding, stride: (strideH, strideW), dilation: (dilationH, dilationW),
                            activation: activation, depthwise: true, depthMultiplier: multiplier)
        case (.builtin(.conv2D), .none), (.builtin(.depthwiseConv2D), .none):
            try convolution(op, padding: .same, stride: (1, 1), dilation: (1, 1), activation: .none,
                            depthwise: op.kind == .builtin(.depthwiseConv2D), depthMultiplier: 1)
        case let (.builtin(.add), .activation(activation)):
            try binary(op, activation: activation, define: xnn_define_add2)
        case let (.builtin(.mul), .activation(activation)):
            try binary(op, activation: activation, define: xnn_define_multiply2)
        case (.builtin(.add), .none):
            try binary(op, activation: .none, define: xnn_define_add2)
        case (.builtin(.mul), .none):
            try binary(op, activation: .none, define: xnn_define_multiply2)
        case (.builtin(.relu), _):
            try clamp(op, min: 0, max: .infinity)
        case (.builtin(.relu6), _):
            try clamp(op, min: 0, max: 6)
        case (.builtin(.reluN1To1), _):
            try clamp(op, min: -1, max: 1)
        case (.builtin(.hardSwish), _):
            try unary(op, define: xnn_define_hardswish)
        case (.builtin(.logistic), _):
            try unary(op, define: xnn_define_sigmoid)
        case let (.builtin(.averagePool2D), .pool2D(padding, _, _, filterW, filterH, activation)):
            try averagePool(op, padding: padding, filter: (filterH, filterW), activation: activation)
        case let (.builtin(.mean), .reducer(keepDims)):
            try mean(op, keepDims: keepDims)
        case (.builtin(.mean), .none):
            try mean(op, keepDims: false)
        case let (.builtin(.resizeBilinear), .resizeBilinear(alignCorners, halfPixelCenters)):
            try resize(op, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
        case let (.custom("Convolution2DTransposeBias"), .custom(options)):
            try transposeConvolution(op, options: options)
        default:
            throw unsupported(op, "this operator (options \(op.options)) is not implemented")
        }
    }

    private mutating func dequantize(_ op: Operator) throws {
        try arity(op, inputs: 1, outputs: 1)
        let source = model.tensors[op.inputs[0]], target = model.tensors[op.outputs[0]]
        guard source.type == .float16 || source.type == .float32, target.type == .float32 else {
            throw unsupported(op, "dequantizes \(source.type) to \(target.type); only fp16/fp32 weights to fp32")
        }
        guard let bytes = try modelBytes(source, op) else {
            throw unsupported(op, "dequantizes a tensor computed at run time; only constant weights")
        }
        guard source.shape == target.shape else {
            throw inconsistent(op, "input shape \(source.shape) differs from output shape \(target.shape)")
        }
        var floats = [Float](repeating: 0, count: source.elementCount)
        bytes.withUnsafeBytes { raw in
            if source.type == .float16 {
                for i in 0..<floats.count { floats[i] = HalfFloat.toFloat(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            } else {
                for i in 0..<floats.count { floats[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
            }
        }
        try markProduced(op.outputs[0], by: op)
        floatData[op.outputs[0]] = floats
    }

    private mutating func convolution(_ op: Operator, padding: Padding, stride: (h: Int, w: Int), dilation: (h: Int, w: Int),
                                      activation: FusedActivation, depthwise: Bool, depthMultiplier: Int) throws {
        try arityRange(op, inputs: 2...3, outputs: 1)
        let x = try shape4(op.inputs[0], op), filter = try shape4(op.inputs[1], op), y = try shape4(op.outputs[0], op)
        guard stride.h >= 1, stride.w >= 1, dilation.h >= 1, dilation.w >= 1, stride.h <= 64, stride.w <= 64,
              dilation.h <= 64, dilation.w <= 64 else {
            throw inconsistent(op, "stride \(stride) or dilation \(dilation) out of range")
        }
        let (kh, kw) = (filter[1], filter[2])
        let inC = x[3], outC = y[3]
        if depthwise {
            guard filter[0] == 1, depthMultiplier >= 1, filter[3] == inC * depthMultiplier, outC == filter[3] else {
                throw inconsistent(op, "depthwise filter \(filter) does not fit input \(x), output \(y), multiplier \(depthMultiplier)")
            }
        } else {
            guard filter[3] == inC, filter[0] == outC else {
                throw inconsistent(op, "filter \(filter) does not fit input \(x) and output \(y)")
            }
        }
        let padH = try convPadding(op, input: x[1], output: y[1], kernel: kh, stride: stride.h, dilation: dilation.h, padding: padding)
        let padW = try convPadding(op, input: x[2], output: y[2], kernel: kw, stride: stride.w, dilation: dilation.w, padding: padding)
        guard y[0] == x[0] else { throw inconsistent(op, "batch \(x[0]) in, \(y[0]) out") }
        let bias = try optionalBias(op, channels: outC)
        let (lo, hi) = try range(activation, op)
        let input = try value(op.inputs[0], op), weights = try constantValue(op.inputs[1], op)
        let output = try outputValue(op.outputs[0], op)
        let status: xnn_status
        if depthwise {
            status = xnn_define_depthwise_convolution_2d(
                subgraph, UInt32(padH.0), UInt32(padW.1), UInt32(padH.1), UInt32(padW.0),
                UInt32(kh), UInt32(kw), UInt32(stride.h), UInt32(stride.w), UInt32(dilation.h), UInt32(dilation.w),
                UInt32(depthMultiplier), inC, lo, hi, input, weights, bias, output, 0)
        } else {
            status = xnn_define_convolution_2d(
                subgraph, UInt32(padH.0), UInt32(padW.1), UInt32(padH.1), UInt32(padW.0),
                UInt32(kh), UInt32(kw), UInt32(stride.h), UInt32(stride.w), UInt32(dilation.h), UInt32(dilation.w),
                1, inC, outC, lo, hi, input, weights, bias, output, 0)
        }
        try check(status, op)
    }

    /// TensorFlow's padding arithmetic, checked against the declared output size.
    private func convPadding(_ op: Operator, input: Int, output: Int, kernel: Int, stride: Int, dilation: Int,
                             padding: Padding) throws -> (Int, Int) {
        let effective = (kernel - 1) * dilation + 1
        let expected = padding == .same ? (input + stride - 1) / stride : (input - effective + stride) / stride
        guard kernel >= 1, output == expected, expected >= 1 else {
            throw inconsistent(op, "\(padding) output size \(output) for input \(input), kernel \(kernel), stride \(stride); expected \(expected)")
        }
        guard padding == .same else { return (0, 0) }
        let total = max((output - 1) * stride + effective - input, 0)
        return (total / 2, total - total / 2)
    }

    private mutating func transposeConvolution(_ op: Operator, options: [UInt8]) throws {
        try arity(op, inputs: 3, outputs: 1)
        // MediaPipe's TfLiteTransposeConvParams: int32 padding (1 SAME, 2 VALID), stride_width, stride_height.
        guard options.count >= 12 else { throw inconsistent(op, "\(options.count) option bytes, expected 12") }
        func int32(_ at: Int) -> Int {
            Int(Int32(bitPattern: UInt32(options[at]) | UInt32(options[at + 1]) << 8
                | UInt32(options[at + 2]) << 16 | UInt32(options[at + 3]) << 24))
        }
        let paddingCode = int32(0), strideW = int32(4), strideH = int32(8)
        guard paddingCode == 1 || paddingCode == 2, (1...64).contains(strideW), (1...64).contains(strideH) else {
            throw unsupported(op, "padding \(paddingCode), strides \(strideW)x\(strideH)")
        }
        let x = try shape4(op.inputs[0], op), filter = try shape4(op.inputs[1], op), y = try shape4(op.outputs[0], op)
        guard filter[3] == x[3], filter[0] == y[3], y[0] == x[0] else {
            throw inconsistent(op, "filter \(filter) does not fit input \(x) and output \(y)")
        }
        func pads(_ input: Int, _ output: Int, _ kernel: Int, _ stride: Int) throws -> (Int, Int, adjustment: Int) {
            let expected = paddingCode == 1 ? input * stride : (input - 1) * stride + kernel
            guard output == expected else {
                throw inconsistent(op, "output size \(output) for input \(input), kernel \(kernel), stride \(stride); expected \(expected)")
            }
            let total = (input - 1) * stride + kernel - output
            if total < 0 {
                guard -total < stride else { throw unsupported(op, "kernel \(kernel) smaller than stride \(stride)") }
                return (0, 0, -total)
            }
            return (total / 2, total - total / 2, 0)
        }
        let ph = try pads(x[1], y[1], filter[1], strideH), pw = try pads(x[2], y[2], filter[2], strideW)
        // Kernel == stride >= 2 (a 1x1 stride-1 one is a plain convolution already, and XNNPACK
        // refuses a depth-to-space of block 1).
        if rewrites.contains(.transposeAsPointwise), strideH >= 2, filter[1] == strideH, filter[2] == strideW, strideH == strideW,
           ph.0 == 0, ph.1 == 0, ph.adjustment == 0, pw.0 == 0, pw.1 == 0, pw.adjustment == 0 {
            return try transposeAsPointwise(op, input: x, filter: filter, output: y)
        }
        let bias = try optionalBias(op, channels: y[3])
        let input = try value(op.inputs[0], op), weights = try constantValue(op.inputs[1], op)
        let output = try outputValue(op.outputs[0], op)
        try check(xnn_define_deconvolution_2d(
            subgraph, UInt32(ph.0), UInt32(pw.1), UInt32(ph.1), UInt32(pw.0),
            UInt32(ph.adjustment), UInt32(pw.adjustment), UInt32(filter[1]), UInt32(filter[2]),
            UInt32(strideH), UInt32(strideW), 1, 1, 1, x[3], y[3], -.infinity, .infinity,
            input, weights, bias, output, 0), op)
    }

    /// A transposed convolution with kernel == stride == k and no padding: output pixel
    /// (k*h + i, k*w + j) channel o is sum_c x[h, w, c] * W[o, i, j, c] + bias[o], i.e. channel
    /// (i*k + j)*O + o of a 1x1 convolution, rearranged by depth-to-space with block k.
    private mutating func transposeAsPointwise(_ op: Operator, input x: [Int], filter: [Int], output y: [Int]) throws {
        let (k, inC, outC) = (filter[1], x[3], y[3])
        let weights = try constantFloats(op.inputs[1], op)
        guard weights.count == outC * k * k * inC else { throw inconsistent(op, "filter holds \(weights.count) values") }
        var bias = [Float](repeating: 0, count: outC)
        if op.inputs[2] >= 0 {
            guard try shape(op.inputs[2]) == [outC] else { throw inconsistent(op, "bias shape, expected [\(outC)]") }
            bias = try constantFloats(op.inputs[2], op)
        }
        let wideC = k * k * outC
        var pointwise = [Float](repeating: 0, count: wideC * inC)
        var wideBias = [Float](repeating: 0, count: wideC)
        for i in 0..<k {
            for j in 0..<k {
                for o in 0..<outC {
                    let channel = (i * k + j) * outC + o
                    wideBias[channel] = bias[o]
                    for c in 0..<inC { pointwise[channel * inC + c] = weights[((o * k + i) * k + j) * inC + c] }
                }
            }
        }
        let input = try value(op.inputs[0], op)
        let weightID = try constantTensor(pointwise, shape: [wideC, 1, 1, inC], op)
        let biasID = try constantTensor(wideBias, shape: [wideC], op)
        let wideShape = [x[0], x[1], x[2], wideC]
        func pointwiseInto(_ wide: UInt32) throws {
            try check(xnn_define_convolution_2d(subgraph, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, inC, wideC,
                                                -.infinity, .infinity, input, weightID, biasID, wide, 0), op)
        }
        // When the result is the model output, directly or through one elementwise operator, the
        // rearrangement is left to SegmentationNetwork.run(): XNNPACK's depth-to-space copies one
        // channel group at a time (0.1 ms for the portrait model's 256x256 output).
        let modelOutput = model.outputs[0]
        // The caller's buffers and its depth-to-space hold one channel (the person probability).
        let deferrable = x[0] == 1 && y[3] == 1 && readers[modelOutput] == [-1] && model.tensors[modelOutput].type == .float32
        if deferrable, op.outputs[0] == modelOutput {
            try markProduced(modelOutput, by: op)
            try pointwiseInto(try externalOutput(shape: wideShape, op))
            outputBlock = k
            return
        }
        if deferrable, let last = soleReader(of: op.outputs[0], after: op), last.outputs == [modelOutput],
           let define = Self.elementwise(last.kind) {
            try arity(last, inputs: 1, outputs: 1)
            try sameShape(last)
            let wide = try internalTensor(shape: wideShape, op)
            try pointwiseInto(wide)
            try markProduced(modelOutput, by: last)
            try check(define(subgraph, wide, try externalOutput(shape: wideShape, last), 0), last)
            absorbed.insert(last.index)
            outputBlock = k
            return
        }
        let wide = try internalTensor(shape: wideShape, op)
        try pointwiseInto(wide)
        try check(xnn_define_depth_to_space(subgraph, wide, try outputValue(op.outputs[0], op), UInt32(k), 0), op)
    }

    /// Elementwise operators that commute with a rearrangement of pixels.
    private static func elementwise(_ kind: OperatorKind) -> ((xnn_subgraph_t?, UInt32, UInt32, UInt32) -> xnn_status)? {
        switch kind {
        case .builtin(.logistic): return xnn_define_sigmoid
        case .builtin(.hardSwish): return xnn_define_hardswish
        default: return nil
        }
    }

    private mutating func binary(
        _ op: Operator, activation: FusedActivation,
        define: (xnn_subgraph_t?, Float, Float, UInt32, UInt32, UInt32, UInt32) -> xnn_status
    ) throws {
        try arity(op, inputs: 2, outputs: 1)
        let a = try shape(op.inputs[0]), b = try shape(op.inputs[1]), y = try shape(op.outputs[0])
        guard let broadcast = Self.broadcast(a, b), broadcast == y else {
            throw inconsistent(op, "shapes \(a) and \(b) do not broadcast to \(y)")
        }
        let (lo, hi) = try range(activation, op)
        let first = try value(op.inputs[0], op), second = try value(op.inputs[1], op)
        try check(define(subgraph, lo, hi, first, second, try outputValue(op.outputs[0], op), 0), op)
    }

    private mutating func unary(_ op: Operator, define: (xnn_subgraph_t?, UInt32, UInt32, UInt32) -> xnn_status) throws {
        try arity(op, inputs: 1, outputs: 1)
        try sameShape(op)
        let input = try value(op.inputs[0], op)
        try check(define(subgraph, input, try outputValue(op.outputs[0], op), 0), op)
    }

    private mutating func clamp(_ op: Operator, min: Float, max: Float) throws {
        try arity(op, inputs: 1, outputs: 1)
        try sameShape(op)
        let input = try value(op.inputs[0], op)
        try check(xnn_define_clamp(subgraph, min, max, input, try outputValue(op.outputs[0], op), 0), op)
    }

    private mutating func averagePool(_ op: Operator, padding: Padding, filter: (h: Int, w: Int), activation: FusedActivation) throws {
        try arity(op, inputs: 1, outputs: 1)
        let x = try shape4(op.inputs[0], op), y = try shape4(op.outputs[0], op)
        // Only the pooling over the whole picture that the segmentation models use.
        guard filter.h == x[1], filter.w == x[2], y[1] == 1, y[2] == 1, y[0] == x[0], y[3] == x[3] else {
            throw unsupported(op, "average pooling \(filter.h)x\(filter.w) over \(x) to \(y); only global pooling is implemented")
        }
        try globalPool(op, activation: activation)
    }

    private mutating func mean(_ op: Operator, keepDims: Bool) throws {
        try arity(op, inputs: 2, outputs: 1)
        let x = try shape4(op.inputs[0], op), y = try shape(op.outputs[0])
        let axesTensor = model.tensors[op.inputs[1]]
        guard axesTensor.type == .int32, let bytes = try modelBytes(axesTensor, op) else {
            throw unsupported(op, "axes must be a constant int32 tensor")
        }
        let axes = Self.int32s(bytes).map { $0 < 0 ? $0 + 4 : $0 }.sorted()
        guard axes == [1, 2] else { throw unsupported(op, "mean over axes \(axes); only [1, 2] (spatial)") }
        let expected = keepDims ? [x[0], 1, 1, x[3]] : [x[0], x[3]]
        guard y == expected else { throw inconsistent(op, "output shape \(y), expected \(expected)") }
        // The data layout of [N,C] and [N,1,1,C] is the same; XNNPACK wants the 4-D form.
        shapeOverride[op.outputs[0]] = [x[0], 1, 1, x[3]]
        try globalPool(op, activation: .none)
    }

    private mutating func globalPool(_ op: Operator, activation: FusedActivation) throws {
        let (lo, hi) = try range(activation, op)
        let input = try value(op.inputs[0], op)
        try check(xnn_define_global_average_pooling_2d(subgraph, lo, hi, input, try outputValue(op.outputs[0], op), 0), op)
    }

    private mutating func resize(_ op: Operator, alignCorners: Bool, halfPixelCenters: Bool) throws {
        try arity(op, inputs: 2, outputs: 1)
        let x = try shape4(op.inputs[0], op), y = try shape4(op.outputs[0], op)
        let sizeTensor = model.tensors[op.inputs[1]]
        guard sizeTensor.type == .int32, let bytes = try modelBytes(sizeTensor, op) else {
            throw unsupported(op, "the new size must be a constant int32 tensor")
        }
        let size = Self.int32s(bytes)
        guard size == [y[1], y[2]], y[0] == x[0], y[3] == x[3], y[1] >= 1, y[2] >= 1 else {
            throw inconsistent(op, "size \(size) does not match output \(y) for input \(x)")
        }
        let flags: UInt32
        switch (alignCorners, halfPixelCenters) {
        case (false, true): flags = 0
        case (true, false): flags = backdrop_xnn_flag_align_corners()
        case (false, false): flags = backdrop_xnn_flag_tensorflow_legacy_mode()
        case (true, true): throw unsupported(op, "align_corners together with half_pixel_centers")
        }
        let input = try value(op.inputs[0], op)
        if let conv = try pointwiseReader(of: op, channels: x[3]) {
            // conv(resize(x)) == resize(conv(x)): run the 1x1 convolution at the input size.
            let outC = try shape4(conv.outputs[0], conv)[3]
            let bias = try optionalBias(conv, channels: outC)
            let weights = try constantValue(conv.inputs[1], conv)
            let small = try internalTensor(shape: [x[0], x[1], x[2], outC], conv)
            try check(xnn_define_convolution_2d(subgraph, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, x[3], outC,
                                                -.infinity, .infinity, input, weights, bias, small, 0), conv)
            absorbed.insert(conv.index)
            try check(xnn_define_static_resize_bilinear_2d(subgraph, y[1], y[2], small, try outputValue(conv.outputs[0], conv), flags), op)
            return
        }
        try check(xnn_define_static_resize_bilinear_2d(subgraph, y[1], y[2], input, try outputValue(op.outputs[0], op), flags), op)
    }

    // MARK: - Rewrites

    /// The one operator reading `tensor`, if it comes later and the tensor is not the model output.
    private func soleReader(of tensor: Int, after op: Operator) -> Operator? {
        guard let list = readers[tensor], list.count == 1, list[0] > op.index else { return nil }
        return model.operators[list[0]]
    }

    /// A 1x1 convolution without activation that alone reads the output of `resize`.
    private func pointwiseReader(of resize: Operator, channels: Int) throws -> Operator? {
        guard rewrites.contains(.pointwiseBeforeResize),
              let conv = soleReader(of: resize.outputs[0], after: resize), conv.kind == .builtin(.conv2D) else { return nil }
        switch conv.options {
        case .none, .conv2D(_, 1, 1, .none, 1, 1): break
        default: return nil
        }
        try arityRange(conv, inputs: 2...3, outputs: 1)
        guard conv.inputs[0] == resize.outputs[0], conv.inputs[1] != resize.outputs[0] else { return nil }
        let filter = try shape4(conv.inputs[1], conv), resized = try shape4(resize.outputs[0], resize)
        let y = try shape4(conv.outputs[0], conv)
        // Any other convolution (3x3, strided, padded to another size) is not this rewrite's:
        // it is defined as it stands, and checked there.
        guard filter[1] == 1, filter[2] == 1, y[0] == resized[0], y[1] == resized[1], y[2] == resized[2] else { return nil }
        guard filter[3] == channels, filter[0] == y[3] else {
            throw inconsistent(conv, "filter \(filter) does not fit input \(resized) and output \(y)")
        }
        return conv
    }

    /// An XNNPACK value for an intermediate result that has no tensor in the model.
    private func internalTensor(shape dims: [Int], _ op: Operator) throws -> UInt32 {
        try newValue(shape: dims, data: nil, op)
    }

    /// An XNNPACK value for weights made at load time.
    private func constantTensor(_ data: [Float], shape dims: [Int], _ op: Operator) throws -> UInt32 {
        try newValue(shape: dims, data: constants.keep(data), op)
    }

    /// The external output, in a shape of its own (the model output before a depth-to-space).
    private func externalOutput(shape dims: [Int], _ op: Operator) throws -> UInt32 {
        try newValue(shape: dims, data: nil, externalID: Self.outputID, flags: backdrop_xnn_value_flag_external_output(), op)
    }

    private func newValue(shape dims: [Int], data: UnsafeRawPointer?, externalID: UInt32 = backdrop_xnn_invalid_value_id(),
                          flags: UInt32 = 0, _ op: Operator) throws -> UInt32 {
        var id: UInt32 = 0
        let status = dims.withUnsafeBufferPointer { dimsBuffer in
            xnn_define_tensor_value(subgraph, xnn_datatype_fp32, dims.count, dimsBuffer.baseAddress, data,
                                    externalID, flags, &id)
        }
        try check(status, op)
        return id
    }

    /// The values of a constant float tensor (stored in the model or dequantized at load time).
    private func constantFloats(_ tensorIndex: Int, _ op: Operator) throws -> [Float] {
        if let data = floatData[tensorIndex] { return data }
        let tensor = model.tensors[tensorIndex]
        guard tensor.type == .float32, let bytes = try modelBytes(tensor, op) else {
            throw unsupported(op, "tensor '\(tensor.name)' must hold constant float32 data")
        }
        return Self.floats(bytes)
    }

    // MARK: - Values

    /// The XNNPACK value for a tensor that an operator reads.
    private mutating func value(_ tensorIndex: Int, _ op: Operator) throws -> UInt32 {
        if let id = values[tensorIndex] { return id }
        let tensor = model.tensors[tensorIndex]
        guard tensor.type == .float32 else { throw unsupported(op, "tensor '\(tensor.name)' has type \(tensor.type)") }
        var data = floatData[tensorIndex]
        if data == nil, let bytes = try modelBytes(tensor, op) {
            data = Self.floats(bytes)
        }
        if data == nil && !produced.contains(tensorIndex) {
            throw inconsistent(op, "reads tensor \(tensorIndex) ('\(tensor.name)') before any operator writes it")
        }
        return try defineValue(tensorIndex, data: data)
    }

    /// Filters and biases must be constant: XNNPACK packs them once, when the runtime is created.
    private mutating func constantValue(_ tensorIndex: Int, _ op: Operator) throws -> UInt32 {
        let tensor = model.tensors[tensorIndex]
        let isConstant = try floatData[tensorIndex] != nil || modelBytes(tensor, op) != nil
        guard isConstant else {
            throw unsupported(op, "weights in tensor '\(tensor.name)' are computed at run time")
        }
        return try value(tensorIndex, op)
    }

    private mutating func optionalBias(_ op: Operator, channels: Int) throws -> UInt32 {
        guard op.inputs.count == 3, op.inputs[2] >= 0 else { return backdrop_xnn_invalid_value_id() }
        let bias = try shape(op.inputs[2])
        guard bias == [channels] else { throw inconsistent(op, "bias shape \(bias), expected [\(channels)]") }
        return try constantValue(op.inputs[2], op)
    }

    private mutating func outputValue(_ tensorIndex: Int, _ op: Operator) throws -> UInt32 {
        let tensor = model.tensors[tensorIndex]
        guard tensor.type == .float32 else { throw unsupported(op, "output '\(tensor.name)' has type \(tensor.type)") }
        try markProduced(tensorIndex, by: op)
        return try defineValue(tensorIndex, data: nil)
    }

    private mutating func markProduced(_ tensorIndex: Int, by op: Operator) throws {
        let tensor = model.tensors[tensorIndex]
        guard !produced.contains(tensorIndex), model.buffers[tensor.buffer].isEmpty else {
            throw inconsistent(op, "writes tensor \(tensorIndex) ('\(tensor.name)'), which is constant or already written")
        }
        produced.insert(tensorIndex)
    }

    private mutating func defineValue(_ tensorIndex: Int, data: [Float]?) throws -> UInt32 {
        if let id = values[tensorIndex] { return id }
        let dims = try shape(tensorIndex)
        var externalID = backdrop_xnn_invalid_value_id()
        var flags: UInt32 = 0
        if tensorIndex == model.inputs[0] {
            externalID = Self.inputID
            flags = backdrop_xnn_value_flag_external_input()
        } else if tensorIndex == model.outputs[0] {
            externalID = Self.outputID
            flags = backdrop_xnn_value_flag_external_output()
        }
        let pointer = data.map { constants.keep($0) }
        var id: UInt32 = 0
        let status = dims.withUnsafeBufferPointer { dimsBuffer in
            xnn_define_tensor_value(subgraph, xnn_datatype_fp32, dims.count, dimsBuffer.baseAddress,
                                    pointer, externalID, flags, &id)
        }
        guard status == xnn_status_success else {
            throw InferenceError.engine(step: "defining tensor \(tensorIndex) of shape \(dims)", status: Int(status.rawValue))
        }
        values[tensorIndex] = id
        return id
    }

    // MARK: - Checks

    private func shape(_ tensorIndex: Int) throws -> [Int] {
        shapeOverride[tensorIndex] ?? model.tensors[tensorIndex].shape
    }

    private func shape4(_ tensorIndex: Int, _ op: Operator) throws -> [Int] {
        let s = try shape(tensorIndex)
        guard s.count == 4, s.allSatisfy({ $0 >= 1 }) else {
            throw inconsistent(op, "tensor \(tensorIndex) has shape \(s), expected 4-D NHWC")
        }
        return s
    }

    private func sameShape(_ op: Operator) throws {
        let x = try shape(op.inputs[0]), y = try shape(op.outputs[0])
        guard x == y else { throw inconsistent(op, "input shape \(x) differs from output shape \(y)") }
    }

    private func arity(_ op: Operator, inputs: Int, outputs: Int) throws {
        try arityRange(op, inputs: inputs...inputs, outputs: outputs)
    }

    private func arityRange(_ op: Operator, inputs: ClosedRange<Int>, outputs: Int) throws {
        guard inputs.contains(op.inputs.count), op.outputs.count == outputs else {
            throw inconsistent(op, "\(op.inputs.count) inputs and \(op.outputs.count) outputs")
        }
        // Only the optional bias (third input) may be absent.
        for (position, index) in op.inputs.enumerated() where index < 0 && position < 2 {
            throw inconsistent(op, "input \(position) is missing")
        }
    }

    private func range(_ activation: FusedActivation, _ op: Operator) throws -> (Float, Float) {
        switch activation {
        case .none: return (-.infinity, .infinity)
        case .relu: return (0, .infinity)
        case .relu6: return (0, 6)
        case .reluN1To1: return (-1, 1)
        case .tanh, .signBit: throw unsupported(op, "fused activation \(activation)")
        }
    }

    private func modelBytes(_ tensor: Tensor, _ op: Operator) throws -> ArraySlice<UInt8>? {
        do {
            return try model.constantBytes(of: tensor)
        } catch let error as TFLiteError {
            throw InferenceError.model(error)
        }
    }

    private func check(_ status: xnn_status, _ op: Operator) throws {
        guard status == xnn_status_success else {
            throw InferenceError.engine(step: "defining operator \(op.index) (\(op.kind))", status: Int(status.rawValue))
        }
    }

    private func unsupported(_ op: Operator, _ reason: String) -> InferenceError {
        .unsupported(operator: op.index, kind: "\(op.kind)", reason: reason)
    }

    private func inconsistent(_ op: Operator, _ reason: String) -> InferenceError {
        .inconsistent(operator: op.index, kind: "\(op.kind)", reason: reason)
    }

    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(max(x, y))
        }
        return out
    }

    static func floats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) }
        }
    }

    static func int32s(_ bytes: ArraySlice<UInt8>) -> [Int] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Int(Int32(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian)) }
        }
    }
}
