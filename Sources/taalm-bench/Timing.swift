import Foundation

/// Median wall time of one call of `body`, in seconds.
///
/// Runs `body` once to warm up (caches, packing buffers, thread pool), then sizes a
/// repetition count so that each of `samples` timed samples lasts about
/// `budget / samples` seconds, and returns the median per-call time.
func medianSeconds(budget: Double = 0.2, samples: Int = 7, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    body()
    var reps = 1
    // Calibrate: grow reps until one sample takes a measurable slice of the budget.
    while true {
        let d = clock.measure { for _ in 0..<reps { body() } }
        let s = seconds(d)
        if s * Double(samples) >= budget * 0.5 || reps >= 1 << 24 {
            reps = max(1, Int(Double(reps) * budget / Double(samples) / max(s, 1e-9)))
            break
        }
        reps *= s < 1e-4 ? 16 : 2
    }
    var times: [Double] = []
    for _ in 0..<samples {
        let d = clock.measure { for _ in 0..<reps { body() } }
        times.append(seconds(d) / Double(reps))
    }
    times.sort()
    return times[times.count / 2]
}

/// The median of `xs` (the mean of the middle two for an even count; nan when empty).
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

private func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) * 1e-18
}

/// The thread counts a section that reports both measures: `TAALM_BENCH_THREADS=1,2`
/// (comma-separated), default 1 and 2.
func benchThreadCounts() -> [Int] {
    ProcessInfo.processInfo.environment["TAALM_BENCH_THREADS"].map {
        $0.split(separator: ",").compactMap { Int($0) }
    } ?? [1, 2]
}

/// Whether a section with several cases runs `name`: `TAALM_BENCH_CASE` lists the cases to
/// run (comma-separated, in any section); a section's older variable (`TAALM_BENCH_TRAIN`,
/// `TAALM_BENCH_META`) still works when given as `legacy`. Neither set: every case runs.
func benchRunsCase(_ name: String, legacy: String? = nil) -> Bool {
    let env = ProcessInfo.processInfo.environment
    guard let list = env["TAALM_BENCH_CASE"] ?? legacy.flatMap({ env[$0] }) else { return true }
    return list.split(separator: ",").contains { $0 == name }
}
