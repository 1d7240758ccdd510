import BackdropCore
import Foundation

/// What a caller would like from a camera; the driver has the last word (see `CaptureFormat`).
public struct CaptureRequest: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Frames per second.
    public var frameRate: Int
    /// A pixel format to prefer; nil lets Backdrop choose the cheapest one that fits.
    public var format: PixelFormat?
    /// Buffers to ask the driver for; more absorb scheduling hiccups, fewer keep latency down.
    public var bufferCount: Int

    public init(width: Int = 1280, height: Int = 720, frameRate: Int = 30, format: PixelFormat? = nil,
                bufferCount: Int = 4) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.format = format
        self.bufferCount = bufferCount
    }
}

/// What the driver agreed to after negotiation.
public struct CaptureFormat: Sendable, Equatable, CustomStringConvertible {
    public var pixelFormat: PixelFormat
    public var width: Int
    public var height: Int
    /// Bytes from one row to the next in the first plane (drivers may pad rows).
    public var bytesPerLine: Int
    /// The largest frame the driver will hand over, in bytes.
    public var imageSize: Int
    /// Frames per second as the driver set it; nil when it has no frame-rate control.
    public var frameRate: Rational?

    public init(pixelFormat: PixelFormat, width: Int, height: Int, bytesPerLine: Int, imageSize: Int,
                frameRate: Rational?) {
        self.pixelFormat = pixelFormat
        self.width = width
        self.height = height
        self.bytesPerLine = bytesPerLine
        self.imageSize = imageSize
        self.frameRate = frameRate
    }

    public var description: String {
        let rate = frameRate.map { " at \(Self.format(rate: $0)) fps" } ?? " (driver's frame rate)"
        return "\(width)x\(height) \(pixelFormat)\(rate)"
    }

    static func format(rate: Rational) -> String {
        let value = rate.doubleValue
        return value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}
