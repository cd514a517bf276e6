import Foundation
import Testing
import Language
import Runtime
import GoldenSupport

/// Runs `golden/*.taalm` with every builtin installed (tensors, autodiff, models,
/// Train-Attention, CKL, plots), checking the expectations in comments — the language's
/// golden format (GoldenSupport's `GoldenCase`).
enum RuntimeGolden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden").path
    /// Cases that expect something (a file may hold setup-only cases).
    static func cases() -> [GoldenCase] { GoldenScripts.cases(in: directory).filter { !$0.output.isEmpty || !$0.errors.isEmpty } }
}

@Suite struct RuntimeGoldenTests {
    @Test(arguments: RuntimeGolden.cases())
    func golden(_ c: GoldenCase) {
        let interp = Runtime.makeInterpreter()
        var out = ""
        interp.write = { out += $0 }
        var errors: [String] = []
        var exit: Int32 = 0
        do throws(TaalmError) {
            try interp.run(source: c.source, file: c.file)
        } catch {
            // First line of each rendered diagnostic, with the file's base name.
            errors = interp.render(error).components(separatedBy: "\n")
                .filter { $0.contains(": error: ") }
                .map { $0.replacingOccurrences(of: c.file, with: (c.file as NSString).lastPathComponent).replacingOccurrences(of: "error: ", with: "") }
            exit = error.exitCode
        }
        var printed = out.components(separatedBy: "\n")
        if printed.last == "" { printed.removeLast() }
        #expect(printed == c.output, "output of \(c)")
        #expect(errors == c.errors, "errors of \(c)")
        if let expected = c.exit { #expect(exit == expected, "exit code of \(c)") }
    }
}
