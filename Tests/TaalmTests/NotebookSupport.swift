import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Display
import Language
import Runtime

/// Parses XML (SVG, or the `<main>` of a report) with Foundation's XMLParser and
/// records elements; `error` is nil when the text is well-formed.
final class XMLProbe: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String] }
    private(set) var elements: [Element] = []
    private(set) var error: String?

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = parser.parserError.map { "\($0) at line \(parser.lineNumber)" } ?? "parse failed at line \(parser.lineNumber)"
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

/// The `<main>...</main>` of a report page (the HTML head has void `<meta>` tags, which
/// are valid HTML but not XML; everything the report generates lives in `<main>`).
func reportMain(_ html: String) -> String? {
    guard let start = html.range(of: "<main>"), let end = html.range(of: "</main>", options: .backwards) else { return nil }
    return String(html[start.lowerBound..<end.upperBound])
}

/// Every `<svg ...>...</svg>` in a text.
func svgDocuments(_ text: String) -> [String] {
    var out: [String] = []
    var rest = text[...]
    while let start = rest.range(of: "<svg"), let end = rest[start.lowerBound...].range(of: "</svg>") {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// Runs taalm source in a fresh interpreter (no prelude file lookups needed beyond the
/// default) and returns what it printed, or the error message.
func runTaalm(_ source: String, frontend: Frontend = Frontend(progress: .silent)) -> (output: String, error: TaalmError?, interp: Interpreter) {
    let interp = Runtime.makeInterpreter(frontend: frontend)
    var out = ""
    interp.write = { out += $0 }
    do throws(TaalmError) {
        try interp.run(source: source, file: "test.taalm")
        return (out, nil, interp)
    } catch {
        return (out, error, interp)
    }
}

/// A notebook runner whose progress output is collected, never written to stderr.
func quietRunner(keepGoing: Bool = false) -> NotebookRunner {
    let runner = NotebookRunner()
    runner.keepGoing = keepGoing
    runner.progressOutput = { summary in ProgressOutput(stream: nil, isTerminal: false, summary: summary) }
    return runner
}

/// A fresh temporary folder.
func temporaryFolder() throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("taalm-nb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

extension ReportCell {
    var codeOutputs: [ReportOutput]? {
        if case .code(_, let outputs) = kind { return outputs }
        return nil
    }
    var markdownText: String? {
        if case .markdown(let t) = kind { return t }
        return nil
    }
}
