import Capture
import Foundation
import Testing
import TestSupport

/// `backdrop devices` as a user runs it, on this machine.
@Suite("backdrop devices")
struct DevicesCommandTests {
    @Test func listsThisMachinesDevicesAndExitsZero() throws {
        let paths = LibV4L2Provider().devicePaths()
        let text = try BackdropBinary.run(["devices"])
        let (status, output) = (text.status, text.stdout + text.stderr)
        #expect(status == 0)
        if paths.isEmpty {
            #expect(output.contains("no video devices"))
            #expect(output.contains("modprobe v4l2loopback"))
        } else {
            #expect(paths.allSatisfy { output.contains($0) })
        }
        let listing = try BackdropBinary.run(["devices", "--json"])
        let (jsonStatus, json) = (listing.status, listing.stdout)
        #expect(jsonStatus == 0)
        let decoded = try JSONDecoder().decode([VideoDeviceInfo].self, from: Data(json.utf8))
        #expect(decoded.map(\.path) == paths)
    }
}
