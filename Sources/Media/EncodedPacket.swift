import BackdropCore
import CFFmpeg

/// One compressed packet (e.g. an audio frame for stream copy), owned and freed by this object.
///
/// `@unchecked Sendable`: the packet is never modified after creation (writers send a new
/// reference to the same refcounted, read-only data), so handing it to another thread is safe.
public final class EncodedPacket: @unchecked Sendable {
    let packet: UnsafeMutablePointer<AVPacket>
    /// The unit of `pts`, `dts` and `duration`.
    public let timeBase: Rational

    /// Takes over the contents of `source` (which is left blank).
    init(moving source: UnsafeMutablePointer<AVPacket>, timeBase: Rational) {
        packet = av_packet_alloc()
        av_packet_move_ref(packet, source)
        self.timeBase = timeBase
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&pointer)
    }

    public var pts: Int64? { Self.timestamp(packet.pointee.pts) }
    public var dts: Int64? { Self.timestamp(packet.pointee.dts) }
    public var duration: Int64 { packet.pointee.duration }
    public var size: Int { Int(packet.pointee.size) }
    public var isKeyframe: Bool { packet.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    private static func timestamp(_ value: Int64) -> Int64? {
        value == backdrop_av_nopts_value() ? nil : value
    }
}
