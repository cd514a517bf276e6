import Foundation
import Testing

/// `taalm` end to end as a command: arguments, piped stdin, files, exit codes.
@Suite(.enabled(if: REPLHarness.binary != nil, REPLHarness.missingMessage), .timeLimit(.minutes(1)))
struct CommandLineTests {
    /// Runs the binary with `arguments` and `input` on stdin; HOME is a temporary folder.
    func taalm(_ arguments: [String], input: String = "", in folder: String? = nil) throws -> CommandRun {
        try runTaalm(arguments, input: input, in: folder, environment: ["HOME": FileManager.default.temporaryDirectory.path])
    }

    @Test func expressionMayStartWithAMinus() throws {
        let r = try taalm(["-e", "-1 + 2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n")
        let args = try taalm(["-e", "print(args)", "a", "-b"])
        #expect(args.stdout == "[\"a\", \"-b\"]\n", "\(args.stderr)")
        #expect(try taalm(["-e"]).status == 64)
    }

    @Test func pipedInputUnderstandsREPLCommands() throws {
        let r = try taalm([], input: "?len\nlet x = [1,\n  2]\n\n:vars\n:type x\nx\n:type nope\n")
        #expect(r.stdout == "len(x)\nThe number of elements of a list, characters of a string, fields of a record, or numbers of a range.\n"
                + "x  list  [1, 2]\nlist of 2\n[1, 2]  : list\n", "\(r.stderr)")
        #expect(r.stderr == "<stdin>:8:1: error: undefined variable 'nope'\n 8 | nope\n   | ^\n")
        #expect(r.status == 70)

        let help = try taalm([], input: ":help\n:help variance\n")
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.hasPrefix("REPL commands:\n  :help [name]"))
        #expect(help.stdout.contains("\n  variance ") && help.stdout.contains("\nvariance(x, axis = nil, keepdims = false)\n"))
        #expect(!help.stdout.contains("\u{1B}"), "no escape codes")

        // :reset keeps every builtin (the Runtime's too) and drops user names.
        let reset = try taalm([], input: "let y = 2\n:reset\ntensor([1]).shape\n:vars\n")
        #expect(reset.stdout == "all bindings cleared\n[1]  : list\n_  list  [1]\n", "\(reset.stderr)")

        let quit = try taalm([], input: "print(1)\n:quit\nprint(2)\n")
        #expect(quit.stdout == "1\n" && quit.status == 0)
        let unknown = try taalm([], input: ":bogus\n1 + 1\n")
        #expect(unknown.stdout == "2  : number\n")
        #expect(unknown.stderr.hasPrefix("error: unknown command ':bogus'."))
        #expect(unknown.status == 64)
    }

    @Test func unreadableScriptsSayWhyWithExit66() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0x70, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: dir + "/latin.taalm"))
        let directory = try taalm([dir])
        #expect(directory.stderr == "taalm: cannot open '\(dir)': it is a directory\n")
        #expect(directory.status == 66)
        let latin = try taalm(["latin.taalm"], in: dir)
        #expect(latin.stderr == "taalm: cannot open 'latin.taalm': it is not UTF-8 text\n")
        #expect(latin.status == 66)
        let missing = try taalm(["missing.taalm"], in: dir)
        #expect(missing.stderr == "taalm: cannot open 'missing.taalm': no such file\n")
        #expect(missing.status == 66)
        let check = try taalm(["--check", "latin.taalm", "."], in: dir)
        #expect(check.stderr == "taalm: cannot open 'latin.taalm': it is not UTF-8 text\ntaalm: cannot open '.': it is a directory\n")
        #expect(check.status == 66)
        let notebook = try taalm(["notebook", "latin.taalm", "-o", "r.html"], in: dir)
        #expect(notebook.status == 66, "\(notebook.stderr)")
    }
}
