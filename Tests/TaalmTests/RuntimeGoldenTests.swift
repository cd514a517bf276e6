import Foundation
import Testing
import Language
import Runtime

/// Runs `golden/*.taalm` with every builtin installed (tensors, autodiff, ...), checking
/// the expectations in comments — the same format as the language's own golden tests:
///
///     print(x.sum())    # expect: tensor(10)
///     zeros(-1)         # expect error: file.taalm:2:1: zeros: ...
///     # expect exit: 70
///
/// `# ---` splits a file into independent cases run in fresh interpreters.
struct RuntimeGoldenCase: CustomStringConvertible, Sendable {
    var file: String
    var index: Int
    var source: String
    var output: [String] = []
    var errors: [String] = []
    var exit: Int32?
    var description: String { "\((file as NSString).lastPathComponent) case \(index)" }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden").path

    static func all() -> [RuntimeGoldenCase] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".taalm") }.sorted()
        return files.flatMap { cases(in: (directory as NSString).appendingPathComponent($0)) }
    }

    static func cases(in path: String) -> [RuntimeGoldenCase] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let lines = text.components(separatedBy: "\n")
        var groups: [[Int]] = [[]]
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces) == "# ---" { groups.append([]) } else { groups[groups.count - 1].append(i) }
        }
        return groups.enumerated().compactMap { k, members in
            let set = Set(members)
            var c = RuntimeGoldenCase(file: path, index: k, source: lines.enumerated().map { set.contains($0.offset) ? $0.element : "" }.joined(separator: "\n"))
            for i in members {
                let line = lines[i]
                if let r = line.range(of: "# expect: ") { c.output.append(String(line[r.upperBound...])) }
                else if let r = line.range(of: "# expect error: ") { c.errors.append(String(line[r.upperBound...])) }
                else if let r = line.range(of: "# expect exit: ") { c.exit = Int32(line[r.upperBound...].trimmingCharacters(in: .whitespaces)) }
            }
            return c.output.isEmpty && c.errors.isEmpty ? nil : c
        }
    }
}

@Suite struct RuntimeGoldenTests {
    @Test(arguments: RuntimeGoldenCase.all())
    func golden(_ c: RuntimeGoldenCase) {
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
