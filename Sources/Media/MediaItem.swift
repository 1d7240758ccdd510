import BackdropCore

/// What a `MediaReader` hands out next: a decoded picture or an audio packet to copy through.
public enum MediaItem: Sendable {
    case video(VideoFrame)
    case audio(EncodedPacket)
}
