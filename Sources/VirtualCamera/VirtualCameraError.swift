/// Why the virtual camera cannot be written, with the command that fixes it.
public enum VirtualCameraError: Error, CustomStringConvertible, Equatable {
    case deviceNotFound(path: String)
    case permissionDenied(path: String)
    /// The node is not a v4l2loopback output (a webcam, some other device, not V4L2 at all).
    case notALoopbackOutput(path: String, what: String)
    /// A v4l2loopback node another program is already writing to.
    case inUse(path: String, card: String)
    case formatRefused(path: String, asked: String, reason: String)
    case writeFailed(path: String, error: LoopbackCallError)
    case finished(path: String)

    /// The command that creates the virtual camera Backdrop's defaults expect.
    public static let modprobe = "sudo modprobe v4l2loopback video_nr=10 card_label=\"Backdrop camera\" exclusive_caps=1"

    public var description: String {
        switch self {
        case let .deviceNotFound(path):
            return "no device \(path): the v4l2loopback module is not loaded or made another node; "
                + "run: \(Self.modprobe) (install it with sudo apt-get install v4l2loopback-dkms; see docs/virtual-camera.md)"
        case let .permissionDenied(path):
            return "no permission to write \(path); add your user to the 'video' group (sudo usermod -aG video $USER, then log in again)"
        case let .notALoopbackOutput(path, what):
            return "\(path) is not a v4l2loopback output device (it is \(what)); create one with: \(Self.modprobe), "
                + "then use vcam:/dev/video10 (`backdrop devices` lists the nodes)"
        case let .inUse(path, card):
            return "\(path) ('\(card)') is a v4l2loopback device another program is already writing to; "
                + "stop that program (fuser \(path) shows which) or load a second one: sudo modprobe -r v4l2loopback && "
                + "sudo modprobe v4l2loopback devices=2 video_nr=10,11 card_label=\"Backdrop camera\",\"Backdrop camera 2\" exclusive_caps=1,1"
        case let .formatRefused(path, asked, reason):
            return "\(path) refused the format \(asked): \(reason)"
        case let .writeFailed(path, error):
            return "writing a frame to \(path) failed: \(error); was the v4l2loopback module unloaded?"
        case let .finished(path):
            return "the virtual camera \(path) is already closed"
        }
    }
}
