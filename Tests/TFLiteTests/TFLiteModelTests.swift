import Testing
import TFLite
import TestSupport

@Suite struct TFLiteModelTests {
    @Test(arguments: [
        ("selfie_segmentation_landscape.tflite", [1, 144, 256, 3]),
        ("selfie_segmentation.tflite", [1, 256, 256, 3]),
    ])
    func readsTheMediaPipeModels(file: String, inputShape: [Int]) throws {
        let model = try TFLiteModel(bytes: try ModelFiles.bytes(file))
        #expect(model.inputs.count == 1)
        #expect(model.outputs.count == 1)
        #expect(model.tensors[model.inputs[0]].shape == inputShape)
        #expect(model.tensors[model.outputs[0]].shape == Array(inputShape.dropLast()) + [1])

        var histogram: [String: Int] = [:]
        for op in model.operators { histogram["\(op.kind)", default: 0] += 1 }
        #expect(model.operators.count == 246, "\(histogram)")
        #expect(histogram["conv2D", default: 0] > 0)
        #expect(histogram["depthwiseConv2D", default: 0] > 0)
        #expect(histogram["custom operator 'Convolution2DTransposeBias'", default: 0] > 0)
        // Every convolution reads a constant filter whose data lies inside the file.
        for op in model.operators where op.kind == .builtin(.conv2D) {
            let filter = model.tensors[op.inputs[1]]
            #expect(filter.shape.count == 4)
        }
    }

    @Test func refusesAFileThatIsNotAModel() {
        #expect(throws: TFLiteError.self) { try TFLiteModel(bytes: Array("hello, world".utf8)) }
        #expect(throws: TFLiteError.self) { try TFLiteModel(bytes: []) }
        #expect(throws: TFLiteError.self) { try TFLiteModel(bytes: [UInt8](repeating: 0xFF, count: 64)) }
    }

    @Test func refusesEveryTruncationThatCutsWhatItReads() throws {
        let bytes = try ModelFiles.bytes("selfie_segmentation_landscape.tflite")
        // The file ends with metadata the reader never touches, so a cut there may still parse,
        // but only into the whole model; any cut into the graph or the weights must be refused.
        var cuts = Array(stride(from: 0, to: 4096, by: 37))
        cuts += Array(stride(from: bytes.count - 4096, to: bytes.count, by: 41))
        cuts += Array(stride(from: 4096, to: bytes.count - 4096, by: bytes.count / 64))
        var refused = 0
        for cut in cuts {
            do {
                let model = try TFLiteModel(bytes: Array(bytes[0..<cut]))
                #expect(model.operators.count == 246, "truncated to \(cut) bytes")
                #expect(model.buffers.allSatisfy { $0.upperBound <= cut })
            } catch is TFLiteError {
                refused += 1
            }
        }
        #expect(refused >= cuts.count - 100, "only \(refused) of \(cuts.count) truncations refused")
    }

    /// A thousand corrupted variants: each parses or fails with a TFLiteError, none crashes.
    @Test func survivesCorruptedBytes() throws {
        let original = try ModelFiles.bytes("selfie_segmentation_landscape.tflite")
        var rng = SplitMix64(seed: 0xBAC0D0)
        var refused = 0
        for variant in 0..<1000 {
            var bytes = original
            let edits = 1 + Int(rng.next() % 8)
            for _ in 0..<edits {
                // Aim most edits at the metadata at the end (offsets, vtables, counts), where damage matters.
                let tail = variant % 4 != 0
                let span = tail ? min(bytes.count, 8192) : bytes.count
                let position = bytes.count - span + Int(rng.next() % UInt64(span))
                switch rng.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[position] ^= 0x80
                default:
                    let value = UInt32(truncatingIfNeeded: rng.next())
                    for k in 0..<4 where position + k < bytes.count {
                        bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))
                    }
                }
            }
            do {
                let model = try TFLiteModel(bytes: bytes)
                // A surviving model must still be internally consistent.
                for op in model.operators {
                    for i in op.inputs + op.outputs where i >= 0 { #expect(i < model.tensors.count) }
                }
                for t in model.tensors { _ = try? model.constantBytes(of: t) }
            } catch is TFLiteError {
                refused += 1
            }
        }
        #expect(refused > 100, "only \(refused) of 1000 corrupted files were refused")
    }
}

