import BackdropCore
import CV4L2

/// One pixel format a device offers (VIDIOC_ENUM_FMT).
public struct FormatOffer: Sendable, Equatable {
    public var format: PixelFormat
    /// The driver's own name for it, e.g. "Motion-JPEG".
    public var description: String
    /// Made up by libv4l2 converting another format, not delivered by the hardware.
    public var isEmulated: Bool

    public init(format: PixelFormat, description: String, isEmulated: Bool) {
        self.format = format
        self.description = description
        self.isEmulated = isEmulated
    }
}

/// The enumeration ioctls. Drivers implement them unevenly, so each answers "unknown" rather
/// than failing when the driver refuses.
enum DeviceQueries {
    static func capability(_ device: any V4L2Device) throws(V4L2CallError) -> v4l2_capability {
        var capability = v4l2_capability()
        try device.ioctl(.queryCapability, &capability)
        return capability
    }

    static func formats(_ device: any V4L2Device, type: UInt32) -> [FormatOffer] {
        var offers: [FormatOffer] = []
        for index in 0..<64 {  // a bound against a driver that never says EINVAL
            var description = v4l2_fmtdesc()
            description.index = UInt32(index)
            description.type = type
            guard (try? device.ioctl(.enumerateFormats, &description)) != nil else { break }
            offers.append(FormatOffer(format: PixelFormat(code: description.pixelformat),
                                      description: description.descriptionText, isEmulated: description.isEmulated))
        }
        return offers
    }

    static func frameSizes(_ device: any V4L2Device, format: PixelFormat) -> FrameSizes {
        var sizes: [FrameSize] = []
        for index in 0..<256 {
            var size = v4l2_frmsizeenum()
            size.index = UInt32(index)
            size.pixel_format = format.code
            guard (try? device.ioctl(.enumerateFrameSizes, &size)) != nil else { break }
            if size.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                sizes.append(FrameSize(width: Int(size.discrete.width), height: Int(size.discrete.height)))
            } else {
                let s = size.stepwise
                return .range(minimum: FrameSize(width: Int(s.min_width), height: Int(s.min_height)),
                              maximum: FrameSize(width: Int(s.max_width), height: Int(s.max_height)),
                              stepWidth: Int(s.step_width), stepHeight: Int(s.step_height))
            }
        }
        return sizes.isEmpty ? .unknown : .discrete(sizes)
    }

    /// Frame rates offered at one size, highest first; for a stepwise range, its two ends.
    /// Empty when the driver does not enumerate them.
    static func frameRates(_ device: any V4L2Device, format: PixelFormat, size: FrameSize) -> [Rational] {
        var rates: [Rational] = []
        for index in 0..<64 {
            var interval = v4l2_frmivalenum()
            interval.index = UInt32(index)
            interval.pixel_format = format.code
            interval.width = UInt32(size.width)
            interval.height = UInt32(size.height)
            guard (try? device.ioctl(.enumerateFrameIntervals, &interval)) != nil else { break }
            if interval.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                rates.append(rate(of: interval.discrete))
            } else {
                rates = [rate(of: interval.stepwise.min), rate(of: interval.stepwise.max)]
                break
            }
        }
        return rates.filter { $0.denominator > 0 }.sorted { $0.doubleValue > $1.doubleValue }
    }

    /// Frames per second from a time per frame.
    static func rate(of interval: v4l2_fract) -> Rational {
        Rational(Int32(clamping: interval.denominator), Int32(clamping: interval.numerator))
    }
}
