import Synchronization

/// A "stop what you are doing" flag.
///
/// A SIGINT handler may only set the process-wide one (`InterruptFlag.process`, also
/// reached through `Interrupt`); the evaluator polls its interpreter's flag at loop
/// back-edges and calls, long native loops (training, meta-training, CKL epochs) poll the
/// process-wide flag between steps. Whoever notices a request clears it and raises an
/// ordinary "interrupted" error, so every binding survives.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// The flag Ctrl-C sets.
    public static let process = InterruptFlag()

    /// Marks an interrupt request (async-signal-safe: a single atomic store).
    public func request() { flag.store(true, ordering: .relaxed) }

    /// True when an interrupt has been requested and not yet taken.
    public var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Takes the request: returns true once per request and clears the flag.
    public func take() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Forgets any pending request (e.g. at the start of a new REPL cell).
    public func clear() { flag.store(false, ordering: .relaxed) }
}

/// The process-wide flag (`InterruptFlag.process`), the one Ctrl-C sets.
public enum Interrupt {
    public static func request() { InterruptFlag.process.request() }
    public static var isRequested: Bool { InterruptFlag.process.isRequested }
    public static func take() -> Bool { InterruptFlag.process.take() }
    public static func clear() { InterruptFlag.process.clear() }
}
