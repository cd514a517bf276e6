import Language
import TensorCore

/// Installs the builtins that expose the core to the language: tensors, autodiff, models
/// (tokenizers, language models, optimizers, fit, checkpoints), Train-Attention, CKL
/// benchmarks and protocols, plots, tables, token views, show and progress.
public enum Runtime {
    /// `frontend` receives what `show(x)` displays and the progress lines of native loops
    /// (the defaults suit a terminal; the notebook runner passes its own).
    public static func install(into interp: Interpreter, frontend: Frontend = Frontend()) {
        let state = RuntimeState(frontend: frontend)
        // One limit per process (the core has no interpreter to ask): the last installed wins.
        Shape.maxElements = max(1, interp.config.maxTensorElements)
        Shape.limitAdvice = "use a smaller size, or raise the limit by setting TAALM_MAX_TENSOR_ELEMENTS (elements) before starting taalm"
        for f in TensorBuiltins.all(state) { interp.define(f.name, overloading(f, interp.global(f.name)), doc: f.doc) }
        for f in AutodiffBuiltins.all { interp.define(f) }
        for f in PlotBuiltins.all + TableBuiltins.all + WeightsViewBuiltins.all + PresentationBuiltins.all(state) { interp.define(f) }
        for f in ModelBuiltins.all(state) + TrainAttentionBuiltins.all(state) + CKLBuiltins.all(state) { interp.define(f) }
        interp.sealStartupState()
    }

    /// A tensor builtin whose name the language already uses (sum, max, abs, sqrt, ...):
    /// tensors go to the tensor version, anything else to the existing one.
    static func overloading(_ tensorVersion: NativeFunction, _ existing: Value?) -> Value {
        guard let existing else { return .native(tensorVersion) }
        let ours = Value.native(tensorVersion)
        var names = tensorVersion.params.map(\.name)
        let previousDoc: String
        switch existing {
        case .native(let n): previousDoc = n.doc; names += n.params.map(\.name)
        case .function(let f): previousDoc = f.doc ?? ""; names += f.parameterNames
        default: previousDoc = ""
        }
        // Options without defaults: only what the caller gave is passed on.
        var seen = Set<String>()
        let options = names.filter { seen.insert($0).inserted }.map { Param($0) }
        let doc = "On tensors: \(tensorVersion.doc)\nOtherwise: \(previousDoc)"
        return .native(NativeFunction(tensorVersion.name, doc: doc, params: options, variadic: true) { args, ctx throws(NativeError) in
            let anyTensor = args.positional.contains { TensorConvert.tensor($0) != nil }
            return try ctx.call(anyTensor ? ours : existing, args.positional, named: args.named)
        })
    }

    /// A fresh interpreter with every builtin installed.
    public static func makeInterpreter(config: InterpreterConfig = .init(), frontend: Frontend = Frontend()) -> Interpreter {
        let interp = Interpreter(config: config)
        install(into: interp, frontend: frontend)
        return interp
    }
}
