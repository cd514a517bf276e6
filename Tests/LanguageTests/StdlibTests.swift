import Foundation
import Testing
@testable import Language

@Suite struct StdlibTests {
    @Test func lookupOrder() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-stdlib-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let env = tmp.appendingPathComponent("env")
        let prefix = tmp.appendingPathComponent("prefix")
        let installed = prefix.appendingPathComponent("share/taalm/stdlib")
        let beside = prefix.appendingPathComponent("bin/stdlib")
        for dir in [env, installed, beside] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try "# test".write(to: dir.appendingPathComponent("prelude.taalm"), atomically: true, encoding: .utf8)
        }
        let exe = prefix.appendingPathComponent("bin/taalm").path
        #expect(Stdlib.directory(environment: ["TAALM_STDLIB": env.path], executablePath: exe) == env.path)
        #expect(Stdlib.directory(environment: [:], executablePath: exe) == installed.path)
        try FileManager.default.removeItem(at: installed)
        #expect(Stdlib.directory(environment: [:], executablePath: exe) == beside.path)
        try FileManager.default.removeItem(at: beside)
        // Nothing beside the executable: the source tree's stdlib (what `swift run` uses).
        #expect(Stdlib.directory(environment: ["TAALM_STDLIB": "/nonexistent"], executablePath: exe) == Stdlib.sourceTreeStdlib)
        try? FileManager.default.removeItem(at: tmp)
    }

    @Test func preludeLoadsFromAnyDirectory() throws {
        let saved = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        _ = FileManager.default.changeCurrentDirectoryPath("/")
        let interp = Interpreter(config: .quiet)
        #expect(interp.preludeProblem == nil)
        #expect(interp.preludePath?.hasSuffix("stdlib/prelude.taalm") == true)
        #expect(interp.global("map") != nil)
    }

    @Test func startupIsCheap() {
        let clock = ContinuousClock()
        let t = clock.measure { _ = Interpreter(config: .quiet) }
        // Debug build: generous; release start-up is a few milliseconds.
        #expect(t < .milliseconds(500))
    }
}

@Suite struct ExampleTests {
    @Test func languageTourRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let interp = Interpreter(config: .quiet)
        var out = ""
        interp.write = { out += $0 }
        try interp.runFile(path: root.appendingPathComponent("examples/00_language.taalm").path)
        #expect(out.hasPrefix("42 3.5 0.001 1024\n"))
        #expect(out.contains("value 9, grad 6"))
    }
}
