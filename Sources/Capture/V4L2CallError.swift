import Foundation

/// A V4L2 call the driver refused, with its errno.
public struct V4L2CallError: Error, CustomStringConvertible, Equatable {
    /// What was called: `open`, `mmap`, `poll`, or the ioctl's name.
    public let call: String
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The driver does not implement the request, or not for these arguments.
    public var meansUnsupported: Bool { code == ENOTTY || code == EINVAL }

    public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}
