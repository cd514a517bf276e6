import Language
import TensorCore

/// Per-interpreter state of the runtime bindings: the seeded random stream and the
/// frontend (where `show` and progress bars go).
final class RuntimeState {
    /// The stream used when a random builtin gets no `seed:`; `seed(n)` restarts it.
    var rng = TaalmRNG(seed: 0)
    /// Where rich displays and progress lines of native loops go.
    let frontend: Frontend

    init(frontend: Frontend = Frontend()) { self.frontend = frontend }

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
