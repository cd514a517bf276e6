import Language
import Runtime
import Testing

/// The Runtime's builtins belong to the start-up state: `:reset` keeps them (and the
/// tensor overloads of language builtins such as `sum`), `:vars` does not list them,
/// `:help` indexes them.
@Suite struct StartupStateTests {
    @Test func resetKeepsRuntimeBuiltinsAndForgetsUserNames() throws {
        var config = InterpreterConfig()
        config.handlesInterrupts = false
        let interp = Runtime.makeInterpreter(config: config)
        _ = try interp.runCell("let w = zeros(3)\nlet sum = 5", file: "<c>")
        #expect(interp.variables().map(\.name) == ["sum", "w"])
        interp.reset()
        #expect(interp.variables().isEmpty)
        #expect(interp.global("w") == nil)
        let total = try interp.runCell("sum(ones(2, 3)).item() + sum([1, 2])", file: "<c>")
        #expect(total?.numberValue == 9)
        #expect(try interp.runCell("grad(fn(x) { x * x })(3)", file: "<c>")?.numberValue == 6)
    }

    @Test func helpIndexListsRuntimeBuiltinsAndVarsListsNone() {
        var config = InterpreterConfig()
        config.handlesInterrupts = false
        let interp = Runtime.makeInterpreter(config: config)
        let index = interp.helpIndex()
        for name in ["grad", "jvp", "tensor", "zeros", "len", "print"] {
            #expect(index.contains("\n  \(name) "), "help index lacks \(name)")
        }
        #expect(interp.variables().isEmpty)
    }
}
