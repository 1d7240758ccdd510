import BackdropCore
import CV4L2
import Foundation

/// Lists the video device nodes with their capabilities and formats, for `backdrop devices`.
public struct DeviceLister {
    public let provider: any V4L2DeviceProvider

    public init(provider: any V4L2DeviceProvider = LibV4L2Provider()) {
        self.provider = provider
    }

    public func list() -> [VideoDeviceInfo] {
        provider.devicePaths().map(describe)
    }

    private func describe(_ path: String) -> VideoDeviceInfo {
        var info = VideoDeviceInfo(path: path, card: "", driver: "", busInfo: "", canCapture: false, canOutput: false,
                                   isLoopback: false, kind: "unknown", formats: [], error: nil)
        let device: any V4L2Device
        do {
            device = try provider.open(path: path)
        } catch {
            info.error = error.code == EACCES || error.code == EPERM
                ? "no permission (add your user to the 'video' group)" : "cannot open: \(error)"
            return info
        }
        defer { device.close() }
        let capability: v4l2_capability
        do {
            capability = try DeviceQueries.capability(device)
        } catch {
            info.error = "not a V4L2 device: \(error)"
            return info
        }
        let capabilities = capability.nodeCapabilities
        info.card = capability.cardName
        info.driver = capability.driverName
        info.busInfo = capability.busName
        info.canCapture = capabilities.canCapture
        info.canOutput = capabilities.canOutput
        info.isLoopback = info.driver == VideoDeviceInfo.loopbackDriver
        info.kind = capabilities.kind
        guard capabilities.canCapture || capabilities.canOutput else { return info }
        let type = capabilities.canCapture ? V4L2Constants.captureType : V4L2Constants.outputType
        info.formats = DeviceQueries.formats(device, type: type).filter { !$0.isEmulated }.map { offer in
            describe(offer, on: device)
        }
        return info
    }

    private func describe(_ offer: FormatOffer, on device: any V4L2Device) -> VideoDeviceInfo.Format {
        var format = VideoDeviceInfo.Format(fourcc: offer.format.description, description: offer.description,
                                            sizes: [], sizeRange: nil)
        switch DeviceQueries.frameSizes(device, format: offer.format) {
        case let .discrete(sizes):
            format.sizes = sizes.map { size in
                let rates = DeviceQueries.frameRates(device, format: offer.format, size: size)
                return VideoDeviceInfo.Size(width: size.width, height: size.height, frameRates: rates.map(\.doubleValue))
            }
        case let .range(minimum, maximum, stepWidth, stepHeight):
            format.sizeRange = "\(minimum)-\(maximum)" + (stepWidth > 1 || stepHeight > 1 ? " (step \(stepWidth)x\(stepHeight))" : "")
        case .unknown:
            break
        }
        return format
    }
}
