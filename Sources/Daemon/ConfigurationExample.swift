/// The commented example printed by `backdrop config example` and installed as
/// `backdrop.toml.example`; every key with its default, so it doubles as the reference.
public enum ConfigurationExample {
    public static let text = """
        # Backdrop daemon configuration: /etc/backdrop/backdrop.toml (read by `backdrop run`).
        #
        # Every key can also be set by an environment variable, BACKDROP_ and the key in capitals
        # with _ for . (camera.on_demand is BACKDROP_CAMERA_ON_DEMAND; lists separated by ;),
        # or by an option of `backdrop run` (see `backdrop run --help`). Options win over the
        # environment, which wins over this file.
        #
        # Check a file with `backdrop config check PATH`. A reload (systemctl reload backdrop, or
        # SIGHUP) applies background, preserve and rates.max_fps at once; other keys need a restart.
        # An invalid file on reload is refused and the running configuration kept.

        # Where frames come from: /dev/videoN, camera:NAME (by card name), a file, a URL, or
        # lavfi:GRAPH (e.g. "lavfi:testsrc2=size=1280x720:rate=30" for a synthetic camera).
        source = "/dev/video0"

        # For a file source: pace it at its frame rate as a camera would (realtime) and start it
        # again at its end (loop).
        realtime = false
        loop = false

        # Where frames go, one or more: vcam:/dev/videoN (a v4l2loopback device: "Backdrop camera"),
        # rtp://HOST:PORT[?codec=vp9&bitrate=...], srtp://HOST:PORT?key=FILE, or a file (.mp4, .mkv, .y4m).
        sinks = ["vcam:/dev/video10"]

        # What replaces the room: blur, blur:STRENGTH (radius in % of the width, up to 20),
        # color:RRGGBB, image:PATH (PNG or JPEG, cropped to the frame's shape), or synth /
        # synth:THEME (synthesized from the room's own label map). Live on reload.
        background = "blur"

        # Regions always kept as the camera sees them, e.g. a whiteboard: "x,y,w,h" as fractions
        # of the frame (0.6,0.1,0.35,0.5 is the upper right). Live on reload.
        preserve = []

        # Person segmentation: landscape (for 16:9 cameras), portrait, or the path of a .tflite
        # model; XNNPACK threads (1 is steadiest on small machines).
        model = "landscape"
        threads = 1

        [camera]
        # Capture size asked of the camera (even numbers); also the size of the picture shown
        # while no camera frame has arrived yet.
        width = 1280
        height = 720
        # Open the webcam only while an application reads the virtual camera (its light stays
        # off otherwise). Needs a vcam: sink and v4l2loopback 0.13 or later; older modules keep
        # the camera open and the log says so.
        on_demand = false

        [rates]
        # At most this many frames a second to the sinks; 0 takes what the source delivers. Live on reload.
        max_fps = 0
        # Quality of file sinks (x264 CRF, 0-51, lower is better).
        crf = 20

        [control]
        # The control socket of `backdrop status`, `backdrop set`, `backdrop pause`/`resume`.
        # Default: /run/backdrop/control.sock for the system service, $XDG_RUNTIME_DIR/backdrop/control.sock
        # for a user's. Mode 0660: its owner and the video group.
        # socket = "/run/backdrop/control.sock"

        [metrics]
        # Prometheus metrics at http://127.0.0.1:PORT/metrics (localhost only).
        enabled = false
        port = 9464

        """
}
