import Foundation
import JSONText

/// One metric of one method over several seeds: the values, their mean and their sample
/// standard deviation (n − 1 in the denominator; nil with fewer than two values).
public struct SeedSummary: Sendable, Hashable {
    public let values: [Double]

    public init(_ values: [Double]) { self.values = values }

    public var count: Int { values.count }
    public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    public var sd: Double? {
        guard values.count >= 2 else { return nil }
        let m = mean
        return Foundation.sqrt(values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1))
    }

    /// "0.494 ± 0.012" (or "0.494" with one value), printf-rounded. (Tables format the
    /// mean and sd with Display's number formatting instead, as single-run tables do.)
    public func text(decimals: Int) -> String {
        let m = String(format: "%.\(decimals)f", mean)
        return sd.map { m + " ± " + String(format: "%.\(decimals)f", $0) } ?? m
    }
}

/// The same methods run with several seeds, summarised per method: the paper's table as
/// mean ± sd of Top Acc, Epoch, Ep@90% (epochs to 90 % of the run's own Top Acc), NF Acc
/// and Total Knowledge.
///
/// Runs are grouped by method name, in the order the methods first appear. A method may
/// be missing from some seeds (its `n` says how many it has); it may not appear twice in
/// one seed's list, which would make the grouping ambiguous.
public struct CKLStudy: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public let method: String
        /// The method's runs, one per seed that has it, in seed order.
        public let runs: [CKLResult]
        public var top: SeedSummary { SeedSummary(runs.map(\.topAccuracy)) }
        public var epoch: SeedSummary { SeedSummary(runs.map { Double($0.topEpoch) }) }
        /// Ep@90%: each run's first epoch at 90 % of its own Top Acc.
        public var epoch90: SeedSummary { SeedSummary(runs.map { Double($0.epochsTo90) }) }
        public var notToForget: SeedSummary { SeedSummary(runs.map(\.notToForgetAtTop)) }
        public var total: SeedSummary { SeedSummary(runs.map(\.totalKnowledge)) }
        /// Runs stopped by Ctrl-C before their last epoch.
        public var interrupted: Int { runs.filter(\.interrupted).count }
    }

    public let rows: [Row]
    /// How many seeds (lists of runs) were given.
    public let seeds: Int

    public init(runsBySeed: [[CKLResult]]) throws(CKLError) {
        guard !runsBySeed.isEmpty else { throw .invalidConfiguration("a study needs at least one seed's list of results") }
        var order: [String] = []
        var byMethod: [String: [CKLResult]] = [:]
        for (s, runs) in runsBySeed.enumerated() {
            guard !runs.isEmpty else { throw .invalidConfiguration("seed \(s)'s list of results is empty") }
            var seen = Set<String>()
            for r in runs {
                guard seen.insert(r.method).inserted else {
                    throw .invalidConfiguration("method \"\(r.method)\" appears twice in seed \(s)'s results; give each seed one run per method, or name variants of one method apart with r.labeled(name)")
                }
                if byMethod[r.method] == nil { order.append(r.method) }
                byMethod[r.method, default: []].append(r)
            }
        }
        rows = order.map { Row(method: $0, runs: byMethod[$0] ?? []) }
        seeds = runsBySeed.count
    }

    public func row(_ method: String) -> Row? { rows.first { $0.method == method } }

    /// Plain aligned text (Runtime renders the rich table).
    public var description: String {
        var cells = [["Method", "n", "Top Acc", "Epoch", "Ep@90%", "NF Acc", "Total Knowledge"]]
        for r in rows {
            cells.append([r.method, String(r.runs.count), r.top.text(decimals: 3), r.epoch.text(decimals: 1),
                          r.epoch90.text(decimals: 1), r.notToForget.text(decimals: 3), r.total.text(decimals: 3)])
        }
        let widths = cells[0].indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { c, cell in c == 0 ? cell.padding(widths[c]) : cell.leftPad(widths[c]) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension CKLStudy {
    static let metricKeys = ["top_acc", "epoch", "epoch90", "nf_acc", "total_knowledge"]

    func summaries(_ r: Row) -> [SeedSummary] { [r.top, r.epoch, r.epoch90, r.notToForget, r.total] }

    /// JSON: one object per method with n and, per metric, its mean, sd (null for one seed)
    /// and the per-seed values.
    public func toJSON() -> String {
        JSONWriter.write(.array(rows.map { r in
            var fields: [(key: String, value: JSONValue)] = [("method", .string(r.method)), ("n", .integer(r.runs.count))]
            for (k, s) in zip(Self.metricKeys, summaries(r)) {
                fields.append((k, .object([("mean", .number(s.mean)), ("sd", s.sd.map { .number($0) } ?? .null),
                                           ("values", .array(s.values.map { .number($0) }))])))
            }
            return .object(fields)
        }))
    }

    /// CSV: `method,n,top_acc_mean,top_acc_sd,epoch_mean,epoch_sd,epoch90_mean,...` (an empty sd
    /// with one seed).
    public func toCSV() -> String {
        let header = ["method", "n"] + Self.metricKeys.flatMap { [$0 + "_mean", $0 + "_sd"] }
        return ([header.joined(separator: ",")] + rows.map { r in
            ([CSV.field(r.method), String(r.runs.count)] + summaries(r).flatMap { s in
                [JSONWriter.pythonFloat(s.mean), s.sd.map(JSONWriter.pythonFloat) ?? ""]
            }).joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }
}
