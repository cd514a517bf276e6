// taalm-bench: prints taalm's performance figures, section by section.
//
//   taalm-bench [--json] [section ...]     (no section: all sections)
//
// To add a section: write a type conforming to `BenchSection` in its own file and add
// it to `allSections` below.

import Foundation
import TensorCore

/// Every benchmark section, in the order they run.
let allSections: [any BenchSection.Type] = [
    GEMMBench.self,
    ElementwiseBench.self,
    ParallelBench.self,
    InterpBench.self,
    AttentionBench.self,
    TrainBench.self,
    MetaBench.self,
    FuzzBench.self,
]

var json = false
var wanted: [String] = []
for arg in CommandLine.arguments.dropFirst() {
    switch arg {
    case "--json": json = true
    case "-h", "--help":
        print("usage: taalm-bench [--json] [section ...]")
        print("sections: " + allSections.map { $0.name }.joined(separator: ", "))
        exit(0)
    default: wanted.append(arg)
    }
}
let known = Set(allSections.map { $0.name })
for name in wanted where !known.contains(name) {
    FileHandle.standardError.write(Data("taalm-bench: unknown section '\(name)' (known: \(allSections.map { $0.name }.joined(separator: ", ")))\n".utf8))
    exit(64)
}
let selected = wanted.isEmpty ? allSections.filter { $0.runsByDefault } : allSections.filter { wanted.contains($0.name) }
// `TAALM_BENCH_THREADS=1` measures on one core (compare: PyTorch with one thread).
if let t = ProcessInfo.processInfo.environment["TAALM_BENCH_THREADS"].flatMap({ Int($0) }), t >= 1 { Kernels.threads = t }
// `TAALM_BENCH_POLL_US=200` sets how long idle kernel workers poll before sleeping (µs).
if let us = ProcessInfo.processInfo.environment["TAALM_BENCH_POLL_US"].flatMap({ UInt64($0) }) {
    Kernels.workerPollNanoseconds = us * 1000
}
let reporter = Reporter(json: json)
reporter.header()
for section in selected {
    section.run(reporter)
}
