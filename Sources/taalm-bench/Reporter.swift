import Foundation
import TensorCore

/// Collects benchmark results and prints them as an aligned table (default) or as one
/// JSON object per line (`--json`), e.g.
/// `{"section": "gemm", "case": "512x512x512", "threads": 1, "gflops": 97.3}`.
final class Reporter {
    let json: Bool
    private var printedSection: String?

    init(json: Bool) { self.json = json }

    /// Prints the table header with the machine note (human mode only).
    func header() {
        if json { return }
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        print("# taalm-bench  (active CPUs: \(cpus), Kernels.threads default: \(Kernels.threads); medians of timed runs)")
        print(pad("section", 12) + pad("case", 22) + lpad("threads", 8) + lpad("value", 12) + "  unit")
    }

    /// Reports one measured value. `metric` is the JSON key and the table's unit
    /// (e.g. "gflops", "gbps"); `extra` adds further JSON fields.
    func record(section: String, case name: String, threads: Int, metric: String, value: Double) {
        if json {
            let v = value.isFinite ? String(format: "%.2f", value) : "null"
            print("{\"section\": \"\(section)\", \"case\": \"\(name)\", \"threads\": \(threads), \"\(metric)\": \(v)}")
        } else {
            if printedSection != section {
                printedSection = section
                print(String(repeating: "-", count: 62))
            }
            print(pad(section, 12) + pad(name, 22) + lpad(String(threads), 8)
                  + lpad(String(format: "%.1f", value), 12) + "  " + metric)
        }
        fflush(nil)
    }

    /// Reports one case with named metrics (e.g. `ms`, `tokens_per_s`, `peak_mb`): one
    /// JSON line `{"section": ..., "case": ..., "ms": 4.20, ...}` or one table row each.
    func record(section: String, case name: String, _ fields: [(String, Double)], threads: Int? = nil) {
        if json {
            var line = "{\"section\": \"\(section)\", \"case\": \"\(name)\""
            if let threads { line += ", \"threads\": \(threads)" }
            for (k, v) in fields { line += ", \"\(k)\": " + (v.isFinite ? String(format: "%.2f", v) : "null") }
            print(line + "}")
        } else {
            if printedSection != section {
                printedSection = section
                print(String(repeating: "-", count: 62))
            }
            for (k, v) in fields {
                print(pad(section, 12) + pad(name, 22) + lpad(threads.map(String.init) ?? "-", 8)
                      + lpad(String(format: k.hasSuffix("ratio") ? "%.2f" : "%.1f", v), 12) + "  " + k)
            }
        }
        fflush(nil)
    }

    /// A free-form note (human mode only), e.g. a reference figure measured alongside.
    func note(_ text: String) {
        if !json { print("  " + text) }
        fflush(nil)
    }

    private func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count)
    }
    private func lpad(_ s: String, _ w: Int) -> String {
        s.count >= w ? " " + s : String(repeating: " ", count: w - s.count) + s
    }
}
