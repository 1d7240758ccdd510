import CV4L2

/// One V4L2 ioctl, typed by the kernel structure it reads and fills in.
///
/// Tying the argument type to the request keeps callers from passing the wrong structure, and
/// lets a fake driver switch on `code` and know what it was handed.
public struct V4L2Request<Argument>: Sendable, CustomStringConvertible {
    public let code: UInt
    public let name: String

    public init(code: UInt, name: String) {
        self.code = code
        self.name = name
    }

    public var description: String { name }
}

extension V4L2Request where Argument == v4l2_capability {
    public static var queryCapability: Self { .init(code: backdrop_vidioc_querycap(), name: "VIDIOC_QUERYCAP") }
}

extension V4L2Request where Argument == v4l2_fmtdesc {
    public static var enumerateFormats: Self { .init(code: backdrop_vidioc_enum_fmt(), name: "VIDIOC_ENUM_FMT") }
}

extension V4L2Request where Argument == v4l2_frmsizeenum {
    public static var enumerateFrameSizes: Self {
        .init(code: backdrop_vidioc_enum_framesizes(), name: "VIDIOC_ENUM_FRAMESIZES")
    }
}

extension V4L2Request where Argument == v4l2_frmivalenum {
    public static var enumerateFrameIntervals: Self {
        .init(code: backdrop_vidioc_enum_frameintervals(), name: "VIDIOC_ENUM_FRAMEINTERVALS")
    }
}

extension V4L2Request where Argument == v4l2_format {
    public static var getFormat: Self { .init(code: backdrop_vidioc_g_fmt(), name: "VIDIOC_G_FMT") }
    public static var setFormat: Self { .init(code: backdrop_vidioc_s_fmt(), name: "VIDIOC_S_FMT") }
}

extension V4L2Request where Argument == v4l2_streamparm {
    public static var getParameters: Self { .init(code: backdrop_vidioc_g_parm(), name: "VIDIOC_G_PARM") }
    public static var setParameters: Self { .init(code: backdrop_vidioc_s_parm(), name: "VIDIOC_S_PARM") }
}

extension V4L2Request where Argument == v4l2_requestbuffers {
    public static var requestBuffers: Self { .init(code: backdrop_vidioc_reqbufs(), name: "VIDIOC_REQBUFS") }
}

extension V4L2Request where Argument == v4l2_buffer {
    public static var queryBuffer: Self { .init(code: backdrop_vidioc_querybuf(), name: "VIDIOC_QUERYBUF") }
    public static var queueBuffer: Self { .init(code: backdrop_vidioc_qbuf(), name: "VIDIOC_QBUF") }
    public static var dequeueBuffer: Self { .init(code: backdrop_vidioc_dqbuf(), name: "VIDIOC_DQBUF") }
}

extension V4L2Request where Argument == Int32 {
    /// The argument is the buffer type (`V4L2_BUF_TYPE_VIDEO_CAPTURE`).
    public static var streamOn: Self { .init(code: backdrop_vidioc_streamon(), name: "VIDIOC_STREAMON") }
    public static var streamOff: Self { .init(code: backdrop_vidioc_streamoff(), name: "VIDIOC_STREAMOFF") }
}
