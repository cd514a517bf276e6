import Foundation
import Testing
import Language
import Runtime

/// Every script in examples/ parses and resolves with the full runtime: the long ones
/// (the 3-seed studies, the real-data run) are not run by the tests, so this is what
/// catches a syntax or scope error in them before a user's 20-minute run would.
@Suite struct ExampleScriptTests {
    static let examples = PackagePaths.examples

    @Test func everyExampleCompiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasSuffix(".taalm") }.sorted()
        #expect(files.count >= 14, "\(files)")
        #expect(files.contains("tour.taalm") && files.contains("08_taalm_study.taalm") && files.contains("10_inner_step.taalm")
                && files.contains("11_phi_init.taalm") && files.contains("12_learning_curves.taalm"))
        for name in files {
            let path = Self.examples.appendingPathComponent(name).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let interp = Runtime.makeInterpreter()
            do {
                try interp.check(source: text, file: path)
            } catch {
                Issue.record("\(name) does not compile:\n\(interp.render(error))")
            }
        }
    }

    @Test func checkReportsWhereAScriptIsWrong() {
        let interp = Runtime.makeInterpreter()
        do {
            try interp.check(source: "let a = 1\nlet b = (a +\nprint(b)\n", file: "bad.taalm")
            Issue.record("a broken script passed the check")
        } catch {
            let text = interp.render(error)
            #expect(text.contains("bad.taalm:3:"), "\(text)")
        }
        // Checking runs nothing: no output, and a later run of a good script still works.
        var out = ""
        interp.write = { out += $0 }
        #expect(throws: Never.self) { try interp.check(source: "print(\"hi\")", file: "ok.taalm") }
        #expect(out == "")
        #expect(throws: Never.self) { try interp.run(source: "print(\"hi\")", file: "ok.taalm") }
        #expect(out == "hi\n")
    }
}
