@testable import Language

extension InterpreterConfig {
    /// Test interpreters ignore the process-wide Ctrl-C flag, so the one test that
    /// raises it cannot interrupt tests running in parallel.
    static var quiet: InterpreterConfig {
        var c = InterpreterConfig()
        c.handlesInterrupts = false
        return c
    }
}
