import Foundation
import Testing
@testable import Language

/// Error messages a golden script cannot reach: ones raised by the Swift embedding API,
/// ones that need a configuration or a source a script cannot hold, and parser
/// expectations that only ever surface as the hint of "unexpected end of input".
@Suite struct EmbeddingErrorTests {
    /// The diagnostics of running `source`, as `line:col: message`.
    func errors(_ source: String, config: InterpreterConfig = .quiet) -> (diagnostics: [Diagnostic], exit: Int32) {
        let interp = Interpreter(config: config)
        interp.write = { _ in }
        do throws(TaalmError) {
            try interp.run(source: source, file: "embed.taalm")
            return ([], 0)
        } catch {
            return (error.diagnostics, error.exitCode)
        }
    }

    func brief(_ d: Diagnostic) -> String {
        guard let loc = d.location else { return d.message }
        return "\(loc.line):\(loc.column): \(d.message)"
    }

    @Test func runFileOfAMissingFile() {
        let interp = Interpreter(config: .quiet)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).taalm").path
        do throws(TaalmError) {
            try interp.runFile(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.exitCode == 70)
            #expect(error.diagnostics.map(\.message) == ["cannot open '\(path)': no such file"])
            #expect(error.diagnostics.first?.location == nil)
        }
    }

    /// `extend` has its own wording for the collection limit (the others say "result too large").
    @Test func extendPastTheCollectionLimit() {
        var config = InterpreterConfig.quiet
        config.maxCollectionLength = 10
        let r = errors("var xs = [1, 2, 3, 4, 5, 6]\nxs.extend(xs)", config: config)
        #expect(r.diagnostics.map(brief) == ["2:4: list too large"])
        #expect(r.exit == 70)
        // The other builders of long values under the same limit.
        #expect(errors("[1, 2, 3, 4, 5, 6] * 2", config: config).diagnostics.map(brief)
            == ["1:20: result too large (limit 10 elements)"])
        #expect(errors("\"abcdef\".replace(\"a\", \"xyz\")", config: config).diagnostics.map(brief)
            == ["1:10: result too large (limit 10 elements)"])
    }

    /// More distinct global names than the global table holds (65536): one source this
    /// large is generated, not stored.
    @Test func tooManyGlobalNames() {
        let source = (0..<(Globals.capacity + 10)).map { "let g\($0) = 0" }.joined(separator: "\n")
        let r = errors(source)
        #expect(r.exit == 65)
        #expect(r.diagnostics.first?.message == "too many global names (limit 65536)")
        #expect(r.diagnostics.allSatisfy { $0.message == "too many global names (limit 65536)" })
    }

    /// A read of an unknown name takes a global slot too (it may be defined later).
    @Test func tooManyGlobalNamesFromReads() {
        let source = "fn f() {\n" + (0..<(Globals.capacity + 10)).map { "  r\($0)" }.joined(separator: "\n") + "\n}"
        let r = errors(source)
        #expect(r.exit == 65)
        #expect(r.diagnostics.first?.message == "too many global names (limit 65536)")
    }

    /// Running out of input inside a construct reports "unexpected end of input" with the
    /// parser's expectation as the hint (these expectations are never the message).
    @Test(arguments: [
        ("if true { 1", "expected '}' to close the block"),
        ("fn f(a) {\n  a", "expected '}' to close the block"),
        ("while true", "expected '{' after the while condition"),
        ("let x =", "expected an expression"),
        ("print(1,", "expected an expression"),
        ("print(1", "expected ')' after the arguments; the '(' at line 1, column 6 is still open"),
        ("[1, 2", "expected ']' to close the list; the '[' at line 1, column 1 is still open"),
        ("{a: 1", "expected '}' to close the record; the '{' at line 1, column 1 is still open"),
    ])
    func unexpectedEndHints(source: String, hint: String) {
        let r = errors(source)
        #expect(r.diagnostics.map(\.message) == ["unexpected end of input"])
        #expect(r.diagnostics.first?.hint == hint)
        #expect(r.exit == 65)
    }

    /// A function value called through a `CallContext` kept past its interpreter: the
    /// machine has no interpreter to import with.
    @Test func importAfterTheInterpreterIsGone() throws {
        final class Kept: @unchecked Sendable { var context: CallContext?; var function: Value? }
        let kept = Kept()
        do {
            let interp = Interpreter(config: .quiet)
            interp.define(NativeFunction("keep", doc: "", params: [Param("f")]) { args, ctx throws(NativeError) in
                kept.context = ctx
                kept.function = args[0]
                return .null
            })
            try interp.run(source: "keep(fn() { import \"nothing.taalm\" })", file: "embed.taalm")
        }
        let context = try #require(kept.context), function = try #require(kept.function)
        do throws(NativeError) {
            _ = try context.call(function, [])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "import is not available here")
        }
    }
}
