import Foundation
import Testing
@testable import CKL

/// Smoke tests on the released LAMA-ckl files. They run only when `TAALM_LAMA_CKL` names the
/// folder holding `to_learn.jsonl` and `not_to_forget.jsonl` (never committed to this repo).
@Suite struct RealDataSmokeTests {
    static let folder = ProcessInfo.processInfo.environment["TAALM_LAMA_CKL"]
    static var available: Bool { folder.map { !$0.isEmpty } ?? false }

    @Test func reportsWhetherRealDataIsUsed() {
        if Self.available {
            print("LAMA-ckl smoke tests: using \(Self.folder ?? "")")
        } else {
            print("LAMA-ckl smoke tests skipped: set TAALM_LAMA_CKL to the folder with to_learn.jsonl and not_to_forget.jsonl")
        }
    }

    @Test(.enabled(if: available, "TAALM_LAMA_CKL is not set (the folder with the released LAMA-ckl units)"))
    func releasedFilesLoadValidateAndRoundTrip() throws {
        let folder = try #require(Self.folder)
        for file in [ReleasedRecipe.toLearnFile, ReleasedRecipe.notToForgetFile] {
            let path = (folder as NSString).appendingPathComponent(file)
            let units = try UnitsJSONL.read(path: path)
            #expect(units.count == 500)
            // Written back exactly as released (field order, floats, non-ASCII text).
            let original = try String(contentsOfFile: path, encoding: .utf8)
            #expect(UnitsJSONL.encode(units) == original)
            for u in units {
                #expect(u.invariant == (file == ReleasedRecipe.notToForgetFile))
                #expect(u.evidenceObjectSpans.count >= 1)
            }
        }
    }

    @Test(.enabled(if: available, "TAALM_LAMA_CKL is not set (the folder with the released LAMA-ckl units)"))
    func recipeSplitsTheReleasedUnits() throws {
        let b = try LamaCKLBenchmark.load(folder: try #require(Self.folder))
        #expect(b.notToForget.count == 500)
        #expect(b.skill.count + b.meta.count + b.toLearn.count == 500)
        #expect((90...110).contains(b.skill.count))
        #expect((140...160).contains(b.meta.count))
        #expect(Set(b.toLearn.map(\.relationCode)).count == 13)
        #expect(b.pretrainingCorpus.count == 2 * (500 + b.skill.count))
        print(b)
    }
}
