import BackdropCore
import CV4L2
import Foundation
import Logging

/// Agrees a pixel format, size and frame rate with a driver: asks for what the caller wants,
/// accepts what the driver sets, and says so when the two differ.
struct FormatNegotiator {
    let device: any V4L2Device
    let logger: Logger

    func negotiate(_ request: CaptureRequest) throws(CaptureError) -> CaptureFormat {
        let offers = DeviceQueries.formats(device, type: V4L2Constants.captureType)
        let usable = offers.filter { $0.format.isDecodable }
        guard !usable.isEmpty else {
            throw .noSupportedFormat(path: device.path, offered: offers.map { "\($0.format) (\($0.description))" })
        }
        if let wanted = request.format, !usable.contains(where: { $0.format == wanted }) {
            logger.warning("\(device.path) does not offer \(wanted); choosing among \(usable.map(\.format.description).joined(separator: ", "))")
        }
        for offer in rank(usable, for: request) {
            guard let format = try setFormat(offer.format, request: request) else { continue }
            var result = format
            result.frameRate = setFrameRate(request.frameRate)
            report(result, for: request)
            return result
        }
        throw .noSupportedFormat(path: device.path, offered: offers.map { "\($0.format) (\($0.description))" })
    }

    /// Best first: the format asked for; formats the hardware delivers over ones libv4l2 converts;
    /// the nearest size; enough frame rate; then the cheapest to turn into frames.
    private func rank(_ offers: [FormatOffer], for request: CaptureRequest) -> [FormatOffer] {
        let wanted = FrameSize(width: request.width, height: request.height)
        let keyed = offers.map { offer -> (offer: FormatOffer, key: [Int]) in
            let sizes = DeviceQueries.frameSizes(device, format: offer.format)
            let size = sizes.closest(to: wanted)
            let fastest = DeviceQueries.frameRates(device, format: offer.format, size: size).first?.doubleValue
            let shortfall = fastest.map { max(0, Int((Double(request.frameRate) - $0).rounded(.up))) } ?? 0
            let preference = PixelFormat.decodable.firstIndex(of: offer.format) ?? PixelFormat.decodable.count
            return (offer, [offer.format == request.format ? 0 : 1, offer.isEmulated ? 1 : 0,
                            size.distance(to: wanted), shortfall, preference])
        }
        return keyed.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.offer)
    }

    /// VIDIOC_S_FMT; nil when the driver substituted a format Backdrop cannot read.
    private func setFormat(_ pixelFormat: PixelFormat, request: CaptureRequest) throws(CaptureError) -> CaptureFormat? {
        var format = v4l2_format()
        format.type = V4L2Constants.captureType
        format.fmt.pix.width = UInt32(clamping: request.width)
        format.fmt.pix.height = UInt32(clamping: request.height)
        format.fmt.pix.pixelformat = pixelFormat.code
        format.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        do {
            try device.ioctl(.setFormat, &format)
        } catch where error.code == EBUSY {
            throw .busy(path: device.path)
        } catch where error.meansUnsupported {
            logger.debug("\(device.path) refused \(pixelFormat) \(request.width)x\(request.height): \(error)")
            return nil
        } catch {
            throw .setupFailed(path: device.path, error: error)
        }
        let pix = format.fmt.pix
        let got = PixelFormat(code: pix.pixelformat)
        guard got.isDecodable, pix.width >= 2, pix.height >= 2 else {
            logger.debug("\(device.path) substituted \(got) \(pix.width)x\(pix.height) for \(pixelFormat); trying the next format")
            return nil
        }
        let width = Int(pix.width), height = Int(pix.height)
        let tightLine = got.isCompressed ? 0 : (got == .yuyv ? width * 2 : width)
        return CaptureFormat(pixelFormat: got, width: width, height: height,
                             bytesPerLine: max(Int(pix.bytesperline), tightLine), imageSize: Int(pix.sizeimage),
                             frameRate: nil)
    }

    /// VIDIOC_S_PARM; nil when the driver has no frame-rate control (it then runs at its own rate).
    private func setFrameRate(_ framesPerSecond: Int) -> Rational? {
        var parameters = v4l2_streamparm()
        parameters.type = V4L2Constants.captureType
        parameters.parm.capture.timeperframe = v4l2_fract(numerator: 1, denominator: UInt32(max(1, framesPerSecond)))
        do {
            try device.ioctl(.setParameters, &parameters)
        } catch {
            logger.debug("\(device.path) cannot set the frame rate (\(error)); it runs at its own")
            return nil
        }
        let interval = parameters.parm.capture.timeperframe
        guard interval.numerator > 0, interval.denominator > 0 else { return nil }
        return DeviceQueries.rate(of: interval)
    }

    private func report(_ format: CaptureFormat, for request: CaptureRequest) {
        let sameSize = format.width == request.width && format.height == request.height
        let sameFormat = request.format.map { $0 == format.pixelFormat } ?? true
        let sameRate = format.frameRate.map { abs($0.doubleValue - Double(request.frameRate)) < 0.01 } ?? false
        if sameSize && sameFormat && sameRate {
            logger.info("\(device.path): \(format)")
        } else {
            let asked = "\(request.width)x\(request.height) \(request.format.map { "\($0) " } ?? "")at \(request.frameRate) fps"
            logger.notice("\(device.path): asked for \(asked), the driver gave \(format)")
        }
    }
}
