import BackdropCore
import CFFmpeg

extension Rational {
    package init(_ value: AVRational) { self.init(value.num, value.den) }

    package var av: AVRational { AVRational(num: numerator, den: denominator) }

    /// True when usable as a time base or rate (both parts positive).
    package var isValid: Bool { numerator > 0 && denominator > 0 }
}
