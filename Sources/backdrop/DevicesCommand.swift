import ArgumentParser
import Capture
import Foundation

/// `backdrop devices`: this machine's cameras and virtual cameras, with formats and sizes.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List cameras and virtual cameras (/dev/video*) with their formats, sizes and frame rates.",
        discussion: """
            A camera is used as INPUT by its path (/dev/video0) or card name (camera:Integrated Camera); \
            a v4l2loopback device as a sink: vcam:/dev/video10.
            """)

    @Flag(help: "Print one JSON array instead of the table.")
    var json = false

    func run() throws {
        let devices = DeviceLister().list()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(devices), as: UTF8.self))
        } else {
            print(DeviceReport.text(devices))
        }
    }
}
