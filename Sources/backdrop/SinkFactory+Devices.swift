import BackdropCore

extension SinkFactory {
    /// Virtual camera and network sinks.
    static func makeDevice(_ address: SinkAddress, context: Context) throws -> any FrameSink {
        throw Unavailable(sink: address.description, reason: "not available in this build")
    }
}
