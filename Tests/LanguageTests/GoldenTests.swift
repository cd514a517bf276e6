import Foundation
import Testing
@testable import Language

/// Runs every `golden/*.taalm` script and checks the expectations in its comments:
///
///     print(1 + 2)          # expect: 3
///     print(1 / 0)          # expect error: file.taalm:2:9: division by zero
///     # expect exit: 70
///
/// A line `# ---` splits a file into independent cases (each runs in a fresh interpreter,
/// with the other cases blanked out so line numbers stay those of the file).
struct GoldenCase: CustomStringConvertible, Sendable {
    var file: String
    var index: Int
    var source: String
    var output: [String]
    var errors: [String]
    var exit: Int32?
    var firstLine: Int
    var description: String { "\((file as NSString).lastPathComponent) case \(index) (line \(firstLine))" }
}

enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden").path

    static func cases() -> [GoldenCase] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".taalm") }.sorted()
        return files.flatMap { cases(in: (directory as NSString).appendingPathComponent($0)) }
    }

    static func cases(in path: String) -> [GoldenCase] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let lines = text.components(separatedBy: "\n")
        var groups: [[Int]] = [[]]
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces) == "# ---" { groups.append([]) } else { groups[groups.count - 1].append(i) }
        }
        return groups.enumerated().compactMap { (k, members) -> GoldenCase? in
            let set = Set(members)
            guard members.contains(where: { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
            var c = GoldenCase(file: path, index: k, source: "", output: [], errors: [], exit: nil, firstLine: (members.first ?? 0) + 1)
            c.source = lines.enumerated().map { set.contains($0.offset) ? $0.element : "" }.joined(separator: "\n")
            for i in members {
                let line = lines[i]
                if let r = line.range(of: "# expect: ") { c.output.append(String(line[r.upperBound...])) }
                else if line.hasSuffix("# expect:") { c.output.append("") }
                else if let r = line.range(of: "# expect error: ") { c.errors.append(String(line[r.upperBound...])) }
                else if let r = line.range(of: "# expect exit: ") { c.exit = Int32(line[r.upperBound...].trimmingCharacters(in: .whitespaces)) }
            }
            return c
        }
    }

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
