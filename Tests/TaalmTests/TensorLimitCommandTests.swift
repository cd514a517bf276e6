import Foundation
import Testing

/// The tensor size limit from the command line: 2^28 elements by default,
/// TAALM_MAX_TENSOR_ELEMENTS to change it, a warning for a bad value.
@Suite(.enabled(if: REPLHarness.binary != nil, REPLHarness.missingMessage), .timeLimit(.minutes(1)))
struct TensorLimitCommandTests {
    @Test func defaultLimitRefusesAGigabyteAndAHalf() throws {
        let r = try runTaalm(["-e", "zeros(20000, 20000)"], in: NSTemporaryDirectory())
        #expect(r.status == 70)
        #expect(r.stderr.contains("zeros: shape [20000, 20000] has 400000000 elements, above the limit of 268435456"))
        #expect(r.stderr.contains("TAALM_MAX_TENSOR_ELEMENTS"))
    }

    @Test func environmentLowersAndRaisesTheLimit() throws {
        let low = try runTaalm(["-e", "zeros(10, 10).shape"], in: NSTemporaryDirectory(), environment: ["TAALM_MAX_TENSOR_ELEMENTS": "99"])
        #expect(low.status == 70)
        #expect(low.stderr.contains("zeros: shape [10, 10] has 100 elements, above the limit of 99"))
        let ok = try runTaalm(["-e", "print(zeros(10, 10).shape)"], in: NSTemporaryDirectory(), environment: ["TAALM_MAX_TENSOR_ELEMENTS": "1_000"])
        #expect(ok.status == 0)
        #expect(ok.stdout == "[10, 10]\n")
    }

    @Test func badValueWarnsAndKeepsTheDefault() throws {
        let r = try runTaalm(["-e", "print(zeros(2).shape)"], in: NSTemporaryDirectory(), environment: ["TAALM_MAX_TENSOR_ELEMENTS": "lots"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: TAALM_MAX_TENSOR_ELEMENTS=lots is not a positive integer; keeping 268435456"))
        #expect(r.stdout == "[2]\n")
    }
}
