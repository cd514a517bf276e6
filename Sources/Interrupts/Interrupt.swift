import Synchronization

/// The one process-wide "stop what you are doing" flag.
///
/// A SIGINT handler may only set this flag; the evaluator polls it at loop back-edges
/// and calls, long native loops (training, meta-training, CKL epochs) poll it between
/// steps. Whoever notices it clears it and raises an ordinary "interrupted" error, so
/// every binding survives.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Marks an interrupt request (async-signal-safe: a single atomic store).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// True when an interrupt has been requested and not yet taken.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Takes the request: returns true once per request and clears the flag.
    public static func take() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Forgets any pending request (e.g. at the start of a new REPL cell).
    public static func clear() { flag.store(false, ordering: .relaxed) }
}
