import BackdropCore

/// A person mask at the segmentation model's resolution, one byte per pixel: 1 person, 0 not.
/// What the selective stream carries, losslessly.
public struct BinaryMask: Sendable, Equatable {
    /// Largest side the bitstream allows (docs/bitstream-selective.md).
    public static let maximumSide = 1024

    public let width: Int
    public let height: Int
    public var bits: [UInt8]

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(width > 0 && height > 0, "mask size must be positive")
        precondition(bits.count == width * height, "mask has \(bits.count) values, expected \(width)x\(height)")
        self.width = width
        self.height = height
        self.bits = bits
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bits: [UInt8](repeating: 0, count: width * height))
    }

    /// The probability mask binarized at 0.5: a pixel is person when its probability is above 0.5.
    public init(_ mask: Mask) {
        var bits = [UInt8](repeating: 0, count: mask.values.count)
        mask.values.withUnsafeBufferPointer { values in
            bits.withUnsafeMutableBufferPointer { out in
                for i in 0..<values.count { out[i] = values[i] > 0.5 ? 1 : 0 }
            }
        }
        self.init(width: mask.width, height: mask.height, bits: bits)
    }

    /// The probability mask binarized with hysteresis: above 0.5 + `band` person, below
    /// 0.5 - `band` not, in between as in `previous` (or at 0.5 without one of the same size).
    /// Pixels whose probability hovers near 0.5 then stop flipping from frame to frame, which
    /// the inter-mask contexts would otherwise pay for in every frame.
    public init(_ mask: Mask, holding previous: BinaryMask?, band: Float) {
        guard let previous, previous.width == mask.width, previous.height == mask.height, band > 0 else {
            self.init(mask)
            return
        }
        var bits = previous.bits
        let (high, low) = (0.5 + band, 0.5 - band)
        mask.values.withUnsafeBufferPointer { values in
            bits.withUnsafeMutableBufferPointer { out in
                for i in 0..<values.count {
                    let v = values[i]
                    out[i] = v > high ? 1 : (v < low ? 0 : out[i])
                }
            }
        }
        self.init(width: mask.width, height: mask.height, bits: bits)
    }

    /// As a probability mask of 0s and 1s.
    public var probability: Mask {
        Mask(width: width, height: height, values: bits.map { Float($0) })
    }

    /// Fraction of pixels that are person.
    public var coverage: Double {
        Double(bits.reduce(0) { $0 + Int($1) }) / Double(bits.count)
    }

    /// Intersection over union with another mask of the same size (1 when both are empty).
    public func intersectionOverUnion(_ other: BinaryMask) -> Double {
        precondition(width == other.width && height == other.height, "masks differ in size")
        var intersection = 0, union = 0
        for i in 0..<bits.count {
            intersection += Int(bits[i] & other.bits[i])
            union += Int(bits[i] | other.bits[i])
        }
        return union == 0 ? 1 : Double(intersection) / Double(union)
    }
}
