import Foundation
import Testing
@testable import Language
import GoldenSupport

/// Runs every `golden/*.taalm` script and checks the expectations in its comments (the
/// format is described in GoldenSupport's `GoldenCase`).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden").path

    static func cases() -> [GoldenCase] { GoldenScripts.cases(in: directory) }

    /// `file:line:col: message` with the file's base name.
    static func brief(_ d: Diagnostic) -> String {
        guard let loc = d.location else { return d.message }
        return "\((loc.file as NSString).lastPathComponent):\(loc.line):\(loc.column): \(d.message)"
    }
}

@Suite struct GoldenTests {
    @Test func goldenFolderHasCases() {
        #expect(Golden.cases().count >= 60)
    }

    @Test(arguments: Golden.cases())
    func golden(_ c: GoldenCase) {
        var config = InterpreterConfig.quiet
        config.maxRecursionDepth = 200
        config.stepLimit = 2_000_000
        let interp = Interpreter(config: config)
        var out = ""
        interp.write = { out += $0 }
        var errors: [String] = []
        var exit: Int32 = 0
        do throws(TaalmError) {
            try interp.run(source: c.source, file: c.file)
        } catch {
            errors = error.diagnostics.map(Golden.brief)
            exit = error.exitCode
        }
        var printed = out.components(separatedBy: "\n")
        if printed.last == "" { printed.removeLast() }
        #expect(printed == c.output, "output of \(c)")
        #expect(errors == c.errors, "errors of \(c)")
        if let expected = c.exit { #expect(exit == expected, "exit code of \(c)") }
        else if c.errors.isEmpty { #expect(exit == 0) }
    }
}
