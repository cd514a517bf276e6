import Display
import Foundation
import Language
import Runtime

/// How a report is written, chosen by the output file's extension.
enum ReportFormat {
    case html, markdown

    init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": self = .html
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }
}

/// Runs a notebook file and writes its report; returns the exit code.
enum NotebookMain {
    static func run(file: String, output: String, keepGoing: Bool) -> Int32 {
        let text: String
        switch ScriptFile.read(file) {
        case .success(let t): text = t
        case .failure(let problem):
            Runner.warn("taalm: cannot open '\(file)': \(problem.reason)")
            return problem.exitCode
        }
        guard let format = ReportFormat(path: output) else {
            Runner.warn("taalm: the report must be a .html or .md file, not '\(output)'")
            return 64
        }
        let runner = NotebookRunner()
        runner.keepGoing = keepGoing
        runner.onError = { Runner.warn($0) }
        let result = runner.run(source: text, file: file)
        do throws(AtomicFile.Failure) {
            try write(result.report, format: format, to: output)
        } catch {
            Runner.warn("taalm: cannot write '\(output)': \(error.message)")
            return 73
        }
        var status = "taalm: wrote \(output) (\(result.cellsRun) code cell\(result.cellsRun == 1 ? "" : "s") run"
        if !result.errors.isEmpty { status += ", \(result.errors.count) failed" }
        if result.cellsSkipped > 0 { status += ", \(result.cellsSkipped) not run" }
        Runner.warn(status + ")")
        return result.exitCode
    }

    /// HTML: one file. Markdown: the `.md` file plus `<name>_files/figure-N.svg` beside it
    /// (figures left over from an earlier run of the same report are removed first).
    static func write(_ report: Report, format: ReportFormat, to path: String) throws(AtomicFile.Failure) {
        switch format {
        case .html:
            try AtomicFile.write(report.html(), to: path)
        case .markdown:
            let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let assets = base + "_files"
            let export = report.markdown(assetFolder: assets)
            let folder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(assets)
            let fm = FileManager.default
            if let old = try? fm.contentsOfDirectory(atPath: folder) {
                for name in old where name.hasPrefix("figure-") && name.hasSuffix(".svg") {
                    try? fm.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
                }
            }
            if !export.files.isEmpty {
                do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                    throw AtomicFile.Failure(message: "cannot create the folder '\(folder)'")
                }
            }
            let dir = (path as NSString).deletingLastPathComponent
            for f in export.files { try AtomicFile.write(f.contents, to: (dir as NSString).appendingPathComponent(f.name)) }
            try AtomicFile.write(export.markdown, to: path)
        }
    }
}
