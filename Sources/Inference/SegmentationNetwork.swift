import CXNNPACK
import Foundation
import TFLite

/// A segmentation model compiled for XNNPACK: one float NHWC image in, one probability map out.
///
/// Owns the XNNPACK runtime, its thread pool, the weights and the input/output buffers, and
/// frees them when released. Not thread-safe: one network per thread.
public final class SegmentationNetwork {
    /// Model input size, e.g. 256x144 for the landscape model.
    public let inputWidth: Int
    public let inputHeight: Int
    public let inputChannels: Int
    public let outputWidth: Int
    public let outputHeight: Int
    public let threads: Int

    /// Write the pre-processed picture here (RGB in [0, 1], NHWC) before `run()`.
    public let input: UnsafeMutableBufferPointer<Float>
    /// The model's output after `run()`: one probability per pixel.
    public let output: UnsafeMutableBufferPointer<Float>

    private let runtime: xnn_runtime_t
    private let threadpool: pthreadpool_t?
    private let constants: ConstantStore
    /// When the graph leaves the last depth-to-space to `run()`: the engine's output before it, and its block size.
    private let engineOutput: UnsafeMutableBufferPointer<Float>?
    private let outputBlock: Int

    /// XNNPACK wants one process-wide initialisation; a global `let` runs it once, thread-safely.
    private static let initialization: Int = Int(xnn_initialize(nil).rawValue)

    public convenience init(contentsOf url: URL, threads: Int = 1) throws {
        let model: TFLiteModel
        do {
            model = try TFLiteModel(contentsOf: url)
        } catch let error as TFLiteError {
            throw InferenceError.model(error)
        }
        try self.init(model: model, threads: threads)
    }

    public convenience init(model: TFLiteModel, threads: Int = 1) throws {
        try self.init(model: model, threads: threads, rewrites: .all)
    }

    /// `rewrites` chooses the graph rewrites: all of them normally; tests compare with none.
    init(model: TFLiteModel, threads: Int, rewrites: SubgraphBuilder.Rewrites) throws {
        guard Self.initialization == Int(xnn_status_success.rawValue) else {
            throw InferenceError.engine(step: "xnn_initialize (does this CPU have SSE2?)", status: Self.initialization)
        }
        guard (1...64).contains(threads) else {
            throw InferenceError.unsupported(operator: -1, kind: "engine", reason: "\(threads) threads; allowed 1...64")
        }
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw InferenceError.unsupported(operator: -1, kind: "graph",
                                             reason: "\(model.inputs.count) inputs and \(model.outputs.count) outputs; expected one of each")
        }
        let inShape = model.tensors[model.inputs[0]].shape, outShape = model.tensors[model.outputs[0]].shape
        guard inShape.count == 4, inShape[0] == 1, inShape[3] == 3, (1...4096).contains(inShape[1]), (1...4096).contains(inShape[2]) else {
            throw InferenceError.unsupported(operator: -1, kind: "graph", reason: "input shape \(inShape); expected [1, H, W, 3]")
        }
        guard outShape.count == 4, outShape[0] == 1, outShape[3] == 1, (1...4096).contains(outShape[1]), (1...4096).contains(outShape[2]) else {
            throw InferenceError.unsupported(operator: -1, kind: "graph", reason: "output shape \(outShape); expected [1, H, W, 1]")
        }
        inputHeight = inShape[1]
        inputWidth = inShape[2]
        inputChannels = inShape[3]
        outputHeight = outShape[1]
        outputWidth = outShape[2]
        self.threads = threads

        let constants = ConstantStore()
        var subgraph: xnn_subgraph_t?
        var status = xnn_create_subgraph(2, 0, &subgraph)
        guard status == xnn_status_success, let subgraph else {
            throw InferenceError.engine(step: "xnn_create_subgraph", status: Int(status.rawValue))
        }
        // The runtime keeps what it needs; the subgraph description can go once it exists.
        defer { xnn_delete_subgraph(subgraph) }
        var builder = SubgraphBuilder(model: model, subgraph: subgraph, constants: constants, rewrites: rewrites)
        try builder.build()

        let pool: pthreadpool_t? = threads > 1 ? pthreadpool_create(threads) : nil
        var runtime: xnn_runtime_t?
        status = xnn_create_runtime_v2(subgraph, pool, 0, &runtime)
        guard status == xnn_status_success, let runtime else {
            if let pool { pthreadpool_destroy(pool) }
            throw InferenceError.engine(step: "xnn_create_runtime_v2", status: Int(status.rawValue))
        }
        let extra = backdrop_xnn_extra_bytes() / MemoryLayout<Float>.stride + 1
        let inCount = inputHeight * inputWidth * inputChannels, outCount = outputHeight * outputWidth
        let block = builder.outputBlock
        guard block == 1 || (outputHeight % block == 0 && outputWidth % block == 0) else {
            xnn_delete_runtime(runtime)
            if let pool { pthreadpool_destroy(pool) }
            throw InferenceError.inconsistent(operator: -1, kind: "graph", reason: "output \(outputWidth)x\(outputHeight) is not made of \(block)x\(block) blocks")
        }
        let inputStorage = UnsafeMutableBufferPointer<Float>.allocate(capacity: inCount + extra)
        let outputStorage = UnsafeMutableBufferPointer<Float>.allocate(capacity: outCount + extra)
        let engineStorage = block > 1 ? UnsafeMutableBufferPointer<Float>.allocate(capacity: outCount + extra) : nil
        inputStorage.initialize(repeating: 0)
        outputStorage.initialize(repeating: 0)
        engineStorage?.initialize(repeating: 0)

        var externals = [
            xnn_external_value(id: SubgraphBuilder.inputID, data: UnsafeMutableRawPointer(inputStorage.baseAddress!)),
            xnn_external_value(id: SubgraphBuilder.outputID, data: UnsafeMutableRawPointer((engineStorage ?? outputStorage).baseAddress!)),
        ]
        status = xnn_setup_runtime(runtime, externals.count, &externals)
        guard status == xnn_status_success else {
            xnn_delete_runtime(runtime)
            if let pool { pthreadpool_destroy(pool) }
            inputStorage.deallocate()
            outputStorage.deallocate()
            engineStorage?.deallocate()
            throw InferenceError.engine(step: "xnn_setup_runtime", status: Int(status.rawValue))
        }
        self.runtime = runtime
        self.threadpool = pool
        self.constants = constants
        self.engineOutput = engineStorage
        self.outputBlock = block
        self.input = UnsafeMutableBufferPointer(rebasing: inputStorage[0..<inCount])
        self.output = UnsafeMutableBufferPointer(rebasing: outputStorage[0..<outCount])
    }

    /// Runs the model on `input`, filling `output`.
    public func run() throws {
        let status = xnn_invoke_runtime(runtime)
        guard status == xnn_status_success else {
            throw InferenceError.engine(step: "xnn_invoke_runtime", status: Int(status.rawValue))
        }
        if let engineOutput { depthToSpace(engineOutput.baseAddress!) }
    }

    /// Output pixel (y, x) is channel (y % k) * k + x % k of pixel (y / k, x / k) of the engine's output.
    private func depthToSpace(_ source: UnsafePointer<Float>) {
        let k = outputBlock, width = outputWidth, blocksAcross = outputWidth / k
        let destination = output.baseAddress!
        for y in 0..<outputHeight {
            let row = destination + y * width
            let blocks = source + (y / k) * blocksAcross * k * k + (y % k) * k
            if k == 2 {
                for b in 0..<blocksAcross {
                    row[2 * b] = blocks[4 * b]
                    row[2 * b + 1] = blocks[4 * b + 1]
                }
            } else {
                for b in 0..<blocksAcross {
                    for j in 0..<k { row[b * k + j] = blocks[b * k * k + j] }
                }
            }
        }
    }

    deinit {
        xnn_delete_runtime(runtime)
        if let threadpool { pthreadpool_destroy(threadpool) }
        // The slack past `count` belongs to the same allocation.
        input.baseAddress?.deallocate()
        output.baseAddress?.deallocate()
        engineOutput?.deallocate()
        _ = constants
    }
}
