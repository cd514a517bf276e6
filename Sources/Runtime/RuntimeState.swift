import Language
import TensorCore

/// Per-interpreter state of the runtime bindings: the seeded random stream.
final class RuntimeState {
    /// The stream used when a random builtin gets no `seed:`; `seed(n)` restarts it.
    var rng = TaalmRNG(seed: 0)

    /// Runs `body` with a generator: a fresh one from `seed` when given, else the stream.
    func withRNG<T>(seed: Value?, _ body: (inout TaalmRNG) throws(NativeError) -> T) throws(NativeError) -> T {
        if let seed, !seed.isNil {
            let n = try TensorConvert.int(seed, "seed")
            var local = TaalmRNG(seed: UInt64(bitPattern: Int64(n)))
            return try body(&local)
        }
        return try body(&rng)
    }
}
