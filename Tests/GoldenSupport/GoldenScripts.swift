import Foundation

/// One case of a golden script: taalm source whose expectations sit in its comments.
///
///     print(1 + 2)          # expect: 3
///     print(1 / 0)          # expect error: file.taalm:2:9: division by zero
///     # expect exit: 70
///
/// A line `# ---` splits a file into independent cases (each runs in a fresh interpreter,
/// with the other cases blanked out so line numbers stay those of the file). Shared by the
/// language's golden tests and the runtime's (tensors, models, Train-Attention, CKL).
public struct GoldenCase: CustomStringConvertible, Sendable {
    public var file: String
    public var index: Int
    public var source: String
    public var output: [String]
    public var errors: [String]
    public var exit: Int32?
    public var firstLine: Int
    public var description: String { "\((file as NSString).lastPathComponent) case \(index) (line \(firstLine))" }
}

public enum GoldenScripts {
    /// Every case of every `*.taalm` file in `directory`, in file order.
    public static func cases(in directory: String) -> [GoldenCase] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".taalm") }.sorted()
        return files.flatMap { cases(file: (directory as NSString).appendingPathComponent($0)) }
    }

    /// The cases of one file (blank cases skipped).
    public static func cases(file path: String) -> [GoldenCase] {
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
}
