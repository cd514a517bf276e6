import Foundation
import Testing

/// `taalm notebook` end to end: the built binary, files on disk, exit codes.
@Suite(.enabled(if: REPLHarness.binary != nil, REPLHarness.missingMessage), .timeLimit(.minutes(1)))
struct NotebookCommandTests {
    func taalm(_ arguments: [String], in folder: String) throws -> CommandRun {
        try runTaalm(arguments, in: folder)
    }

    @Test func writesHTMLAndMarkdownReports() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# %%\nprint(\"hi\")\n# %%\nplot([1, 4, 9])\n".write(toFile: dir + "/nb.taalm", atomically: true, encoding: .utf8)
        let html = try taalm(["notebook", "nb.taalm", "-o", "out.html"], in: dir)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOfFile: dir + "/out.html", encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("hi"))
        let md = try taalm(["notebook", "nb.taalm", "-o", "out.md"], in: dir)
        #expect(md.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/out_files/figure-1.svg"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "atomic writes leave no temporary files")
    }

    @Test func checkCompilesWithoutRunning() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "print(\"ran\")\n".write(toFile: dir + "/good.taalm", atomically: true, encoding: .utf8)
        try "let a = (1 +\nprint(a)\n".write(toFile: dir + "/bad.taalm", atomically: true, encoding: .utf8)
        let ok = try taalm(["--check", "good.taalm"], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "good.taalm: ok\n", "--check runs nothing: \(ok.stdout)")
        let bad = try taalm(["--check", "good.taalm", "bad.taalm"], in: dir)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.taalm:2:9: error: unexpected end of input"), "\(bad.stderr)")
        #expect(try taalm(["--check", "missing.taalm"], in: dir).status == 66)
        #expect(try taalm(["--check"], in: dir).status == 64)
    }

    @Test func exitCodesFollowScripts() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# %%\nprint(1)\n# %%\nerror(\"boom\")\n".write(toFile: dir + "/bad.taalm", atomically: true, encoding: .utf8)
        let failed = try taalm(["notebook", "bad.taalm", "-o", "r.html"], in: dir)
        #expect(failed.status == 70)
        #expect(failed.stderr.contains("bad.taalm:4:1: error: boom"), "\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/r.html"), "the report is written even when a cell fails")
        #expect(try taalm(["notebook", "bad.taalm", "-o", "r.pdf"], in: dir).status == 64)
        #expect(try taalm(["notebook", "missing.taalm", "-o", "r.html"], in: dir).status == 66)
        #expect(try taalm(["notebook", "bad.taalm", "-o", "no/such/dir/r.html"], in: dir).status == 73)
    }
}
