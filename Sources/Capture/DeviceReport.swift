import Foundation

/// The text `backdrop devices` prints: each node, what it is, and how to use it with Backdrop.
public enum DeviceReport {
    /// The command that creates the virtual camera, as the docs and `backdrop doctor` give it.
    public static let loopbackHint = """
        sudo apt-get install v4l2loopback-dkms && \
        sudo modprobe v4l2loopback video_nr=10 card_label="Backdrop camera" exclusive_caps=1 \
        (see docs/virtual-camera.md)
        """

    public static func text(_ devices: [VideoDeviceInfo]) -> String {
        var lines: [String] = []
        if devices.isEmpty {
            lines.append("no video devices (no /dev/video* on this machine): no camera is plugged in and no virtual camera is loaded")
            lines.append("files, URLs and lavfi: inputs still work, e.g. backdrop process lavfi:testsrc2=size=1280x720 out.mp4")
        }
        for device in devices {
            lines.append(contentsOf: describe(device))
        }
        if !devices.contains(where: \.isLoopback) {
            lines.append("no virtual camera; to create one: \(loopbackHint)")
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ device: VideoDeviceInfo) -> [String] {
        if let error = device.error { return ["\(device.path): \(error)"] }
        let role: String
        if device.isLoopback {
            role = device.canOutput
                ? "virtual camera (v4l2loopback output): use vcam:\(device.path)"
                : "virtual camera (v4l2loopback), in use by a writer now"
        } else if device.canCapture {
            role = "camera: use \(device.path) or 'camera:\(device.card)'"
        } else {
            role = "\(device.kind); not usable by Backdrop"
        }
        var lines = ["\(device.path)  \(device.card)  [\(device.driver), \(device.busInfo)]  \(role)"]
        for format in device.formats {
            var sizes = format.sizes.map { size in
                let rates = size.frameRates.map { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.1f", $0) }
                return "\(size.width)x\(size.height)" + (rates.isEmpty ? "" : "@" + rates.joined(separator: "/"))
            }
            if let range = format.sizeRange { sizes.append(range) }
            lines.append("    \(format.fourcc.padding(toLength: 4, withPad: " ", startingAt: 0))  \(format.description)"
                         + (sizes.isEmpty ? "" : ": " + sizes.joined(separator: ", ")))
        }
        return lines
    }
}
