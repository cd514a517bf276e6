import Interrupts

/// Limits and switches of one interpreter.
public struct InterpreterConfig: Sendable {
    /// Depth of nested taalm calls before "recursion limit (N) exceeded".
    public var maxRecursionDepth: Int = 10_000
    /// Evaluation steps (loop iterations + calls) before "step limit (N) exceeded"; nil = unlimited. Used by the fuzzer.
    public var stepLimit: Int? = nil
    /// Longest list or string a builtin may build (`[0] * n`, `"a" * n`, `list(range(n))`).
    public var maxCollectionLength: Int = 50_000_000
    /// Largest tensor (in elements) the Runtime's builtins may allocate: 2^28, 1 GiB of
    /// Float32. Read by `Runtime.install`, which sets the core's process-wide limit; the
    /// command line takes it from TAALM_MAX_TENSOR_ELEMENTS.
    public var maxTensorElements: Int = 1 << 28
    /// Stack size of the evaluation thread: taalm recursion never overflows the Swift stack.
    public var stackSize: Int = 512 << 20
    /// Load `stdlib/prelude.taalm` at start-up.
    public var loadPrelude: Bool = true
    /// Color in rendered diagnostics and displays.
    public var color: Bool = false
    /// Poll the process-wide Ctrl-C flag (`Interrupt`). Embedders running several
    /// interpreters at once can leave it on for the foreground one only.
    public var handlesInterrupts: Bool = true
    /// The flag this interpreter polls when `handlesInterrupts` is on: the process-wide one
    /// Ctrl-C sets, unless an embedder (or a test running beside others) gives it its own.
    /// Native loops inside the Runtime's builtins (training, CKL runs) poll the process-wide flag.
    public var interruptFlag: InterruptFlag = .process
    /// Display width natives may use.
    public var displayWidth: Int = 100

    public init() {}
}
