import Language
import TensorCore

/// Installs the builtins that expose the core to the language: tensors and autodiff.
/// (Models, Train-Attention, benchmarks and plots register here as their parts land.)
public enum Runtime {
    public static func install(into interp: Interpreter) {
        let state = RuntimeState()
        for f in TensorBuiltins.all(state) + AutodiffBuiltins.all { interp.define(f) }
    }

    /// A fresh interpreter with every builtin installed.
    public static func makeInterpreter(config: InterpreterConfig = .init()) -> Interpreter {
        let interp = Interpreter(config: config)
        install(into: interp)
        return interp
    }
}
