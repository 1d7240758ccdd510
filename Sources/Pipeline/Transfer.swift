/// Moves a non-Sendable object (a segmenter, a sink, a source: each owns native handles) to the
/// one thread that uses it from then on. The creator must not touch it after the hand-off; that
/// promise is what makes the `@unchecked Sendable` sound.
struct Transfer<Value>: @unchecked Sendable {
    let value: Value
}
