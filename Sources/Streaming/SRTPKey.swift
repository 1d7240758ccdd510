import Foundation

/// An SRTP master key and salt, as FFmpeg's srtp protocol and SDP `a=crypto` lines take them.
///
/// Key file format: one line holding the base64 of 30 random bytes (16-byte AES-128 master key
/// followed by the 14-byte salt), i.e. 40 characters, for both AES_CM_128_HMAC_SHA1_80 and _32.
/// Make one with `head -c 30 /dev/urandom | base64 > stream.key; chmod 600 stream.key`.
/// Sender and receiver share it; the receiver gets it through the SDP's `a=crypto` line, so an
/// SDP of an SRTP stream is as secret as the key itself.
public struct SRTPKey: Sendable, Equatable {
    public static let byteCount = 30

    /// The key and salt in base64, as written after `inline:` in SDP.
    public let base64: String
    /// Whether the file was readable by other users (worth a warning).
    public let readableByOthers: Bool

    public init(contentsOf path: String) throws(StreamingError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .keyFileUnreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidKey(path: path, reason: "it is empty") }
        guard !trimmed.contains(where: \.isNewline) else {
            throw .invalidKey(path: path, reason: "it has more than one line")
        }
        guard let bytes = Data(base64Encoded: trimmed) else {
            throw .invalidKey(path: path, reason: "it is not base64")
        }
        guard bytes.count == Self.byteCount else {
            throw .invalidKey(path: path, reason: "it decodes to \(bytes.count) bytes, not \(Self.byteCount)")
        }
        base64 = trimmed
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        readableByOthers = mode & 0o077 != 0
    }
}
