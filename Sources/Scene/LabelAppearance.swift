/// What one label looks like, quantized as the scene format carries it (13 bytes, §4 of
/// docs/bitstream.md): mean colour, a quadratic shading field, and texture statistics.
public struct LabelAppearance: Sendable, Equatable {
    /// L* = lightness * 100 / 255.
    public var lightness: UInt8
    /// CIE a* and b*, in units of 1.
    public var a: Int8
    public var b: Int8
    /// Luma offset field over the frame, in half code values at the frame edge (x, y in -1...1
    /// across the frame): 0.5 * (sx x + sy y + sxx x² + sxy x y + syy y²); the synthesizer keeps the label's mean.
    public var shading: [Int8]
    /// RMS of the three starlet detail bands of luma (fine, medium, coarse), in quarter code values.
    public var energy: [UInt8]
    /// The direction texture stripes run, pi * orientation / 256 from the x axis towards +y.
    public var orientation: UInt8
    /// Structure-tensor coherence 0...1 as anisotropy / 255.
    public var anisotropy: UInt8

    public static let shadingTerms = 5
    public static let bands = 3
    /// Bytes per label in the serialized form.
    public static let byteCount = 3 + shadingTerms + bands + 2

    public init(lightness: UInt8, a: Int8, b: Int8, shading: [Int8] = [0, 0, 0, 0, 0], energy: [UInt8] = [0, 0, 0],
                orientation: UInt8 = 0, anisotropy: UInt8 = 0) {
        precondition(shading.count == Self.shadingTerms && energy.count == Self.bands, "appearance field size")
        self.lightness = lightness
        self.a = a
        self.b = b
        self.shading = shading
        self.energy = energy
        self.orientation = orientation
        self.anisotropy = anisotropy
    }

    /// Quantizes measured or authored values (Lab, shading in luma code values, energies in
    /// code values, orientation in degrees, anisotropy 0...1), clamping each to its range.
    public init(lab: (l: Double, a: Double, b: Double), shading: [Double] = [0, 0, 0, 0, 0],
                energy: [Double] = [0, 0, 0], orientationDegrees: Double = 0, anisotropy: Double = 0) {
        func quantize(_ value: Double, _ scale: Double, _ low: Int, _ high: Int) -> Int {
            guard value.isFinite else { return 0 }
            return max(low, min(high, Int((value * scale).rounded())))
        }
        var degrees = orientationDegrees.truncatingRemainder(dividingBy: 180)
        if degrees < 0 { degrees += 180 }
        self.init(lightness: UInt8(quantize(lab.l, 2.55, 0, 255)),
                  a: Int8(quantize(lab.a, 1, -128, 127)), b: Int8(quantize(lab.b, 1, -128, 127)),
                  shading: (0..<Self.shadingTerms).map { Int8(quantize($0 < shading.count ? shading[$0] : 0, 2, -128, 127)) },
                  energy: (0..<Self.bands).map { UInt8(quantize($0 < energy.count ? energy[$0] : 0, 4, 0, 255)) },
                  orientation: UInt8(quantize(degrees, 256.0 / 180, 0, 256) & 255),
                  anisotropy: UInt8(quantize(anisotropy, 255, 0, 255)))
    }

    public var lab: (l: Double, a: Double, b: Double) { (Double(lightness) * 100 / 255, Double(a), Double(b)) }
    public var shadingValues: [Double] { shading.map { Double($0) / 2 } }
    public var energyValues: [Double] { energy.map { Double($0) / 4 } }
    public var orientationDegrees: Double { Double(orientation) * 180 / 256 }
    public var anisotropyValue: Double { Double(anisotropy) / 255 }
}

extension LabelAppearance {
    /// Like `init(lab:…)`, with the texture statistics first moved to the nearest ones the
    /// synthesizer reproduces (the starlet bands overlap, so not every triple of band energies
    /// can be made; a strong isotropic fine band caps the anisotropy). Analysis and themes use this.
    public static func reproducible(lab: (l: Double, a: Double, b: Double), shading: [Double] = [0, 0, 0, 0, 0],
                                    energy: [Double], orientationDegrees: Double = 0, anisotropy: Double = 0) -> LabelAppearance {
        let texture = TextureModel.achievable(energy: energy, anisotropy: max(0, min(1, anisotropy)))
        return LabelAppearance(lab: lab, shading: shading, energy: texture.energy, orientationDegrees: orientationDegrees,
                               anisotropy: texture.anisotropy)
    }
}
