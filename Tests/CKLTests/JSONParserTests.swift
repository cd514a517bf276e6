import JSONText
import Testing
@testable import CKL

@Suite struct JSONParserTests {
    @Test func floatsAreWrittenLikePythonRepr() {
        // Expected strings are Python 3's repr of the same doubles.
        let cases: [(Double, String)] = [
            (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"), (1e22, "1e+22"),
            (123456789012345.6, "123456789012345.6"), (0.1, "0.1"), (1.0, "1.0"), (-0.0, "-0.0"),
            (1.5e300, "1.5e+300"), (9007199254740992.0, "9007199254740992.0"), (Double.leastNonzeroMagnitude, "5e-324"),
            (2.5e15, "2500000000000000.0"), (1e15, "1000000000000000.0"), (0.36037079953650060, "0.3603707995365006"),
        ]
        for (d, s) in cases { #expect(JSONWriter.pythonFloat(d) == s, "\(d)") }
    }

    @Test func parsesAndWritesBackInOrder() throws {
        let text = #"{"b": [1, 2.5, -3e-2, true, false, null], "a": {"z": "é\n\"q\"", "y": "\u00e9\ud83d\ude00"}}"#
        let v = try JSONParser.parse(text)
        guard case .object(let pairs) = v else { Issue.record("not an object"); return }
        #expect(pairs.map(\.key) == ["b", "a"])
        #expect(v["a"]?["y"] == .string("é😀"))
        #expect(JSONWriter.write(v) == #"{"b": [1, 2.5, -3e-2, true, false, null], "a": {"z": "é\n\"q\"", "y": "é😀"}}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "\"\\ud800\"",
                      "tru", "1 2", "{\"a\":1,}", "1e999", "\"abc"])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func arbitraryBytesNeverTrap() {
        var rng = SplitMix(seed: 1)
        let alphabet = Array("{}[]\",:0123456789.-+eEtrufalsn \\u\u{00e9}x".utf8)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 24)
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? JSONParser.parse(bytes: bytes)
            _ = try? UnitsJSONL.decode(bytes: bytes, file: "fuzz")
        }
    }
}

/// A tiny local generator so the fuzz test does not depend on other modules.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
