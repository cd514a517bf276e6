import CKL
import Display
import Language
import TrainAttention

/// The figures result values draw: `plot(results)` for LAMA-ckl runs (TO-LEARN and
/// NOT-TO-FORGET accuracy per epoch, one series per method, two panels like the paper's
/// figure) and `plot(meta_result)` (the meta-loss and the held-out object-share curves).
enum ResultPlots {
    /// The LAMA-ckl results a value holds: a ckl_result, a non-empty list of them, or a
    /// `compare` table made from them; nil for anything else.
    static func cklResults(_ v: Value) -> [CKLResult]? {
        switch v {
        case .object(let r as CKLResultValue): return [r.result]
        case .object(let t as CKLTableValue): return t.results.isEmpty ? nil : t.results
        case .list(let l):
            guard !l.items.isEmpty else { return nil }
            var out: [CKLResult] = []
            for item in l.items {
                guard case .object(let r as CKLResultValue) = item else { return nil }
                out.append(r.result)
            }
            return out
        default: return nil
        }
    }

    /// Series names: the methods, numbered when two runs share one ("Finetune", "Finetune (2)").
    static func names(_ results: [CKLResult]) -> [String] {
        var seen: [String: Int] = [:]
        return results.map { r in
            let n = (seen[r.method] ?? 0) + 1
            seen[r.method] = n
            return n == 1 ? r.method : "\(r.method) (\(n))"
        }
    }

    /// A y range for accuracies: whole tenths around the values, never past 0 or 1.
    static func accuracyRange(_ values: [Double]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        let lower = max(0, min(0.9, (lo * 10 - 1e-9).rounded(.down) / 10))
        let upper = min(1, max(lower + 0.1, (hi * 10 + 1e-9).rounded(.up) / 10))
        return lower...max(upper, lower + 0.1)
    }

    /// Two panels: TO-LEARN and NOT-TO-FORGET accuracy per epoch (epoch 0 = before training).
    static func ckl(_ results: [CKLResult], title: String? = nil, yRange: ClosedRange<Double>? = nil) -> ChartPanels {
        let names = names(results)
        func panel(_ t: String, _ y: (CKLEpochRecord) -> Double) -> LineChart {
            LineChart(title: t, xLabel: "epoch", yLabel: "accuracy",
                      series: zip(names, results).map { name, r in
                          Series(name, x: r.curve.map { Double($0.epoch) }, y: r.curve.map(y))
                      },
                      yRange: yRange ?? accuracyRange(results.flatMap { $0.curve.map(y) }), legend: true)
        }
        return ChartPanels(title: title, panels: [panel("TO-LEARN (acquired)", \.toLearn), panel("NOT-TO-FORGET (retained)", \.notToForget)])
    }

    /// Two panels: the meta-loss per outer step (and held out at each evaluation), and the
    /// held-out share of φ's weight on object tokens with precision@k against the oracle.
    static func meta(_ r: MetaTrainingResult, title: String? = nil) -> ChartPanels {
        let steps = r.metaLosses.indices.map { Double($0 + 1) }
        var loss = [Series("train batches", x: steps, y: r.metaLosses)]
        let evalSteps = r.evaluations.map { Double($0.step) }
        if r.evaluations.contains(where: { $0.heldOutMetaLoss.isFinite }) {
            loss.append(Series("held out", x: evalSteps, y: r.evaluations.map(\.heldOutMetaLoss)))
        }
        var agreement = [Series("object share", x: evalSteps, y: r.evaluations.map(\.agreement.objectShare)),
                         Series("precision@k", x: evalSteps, y: r.evaluations.map(\.agreement.precisionAtK))]
        if r.evaluations.contains(where: { $0.validationAccuracy != nil }) {
            agreement.append(Series("task accuracy", x: evalSteps, y: r.evaluations.map { $0.validationAccuracy ?? .nan }))
        }
        return ChartPanels(title: title, panels: [
            LineChart(title: "meta-loss (task NLL after the inner step)", xLabel: "step", yLabel: "NLL", series: loss,
                      legend: true, markers: false),
            LineChart(title: "held out: φ's weight on the object", xLabel: "step", yLabel: "share", series: agreement,
                      yRange: 0...1, legend: true),
        ])
    }

    /// The figure for a result value, or nil when `v` is not one.
    static func figure(_ v: Value, title: String?, yRange: ClosedRange<Double>?) -> FigureValue? {
        if let results = cklResults(v) { return FigureValue(.panels(ckl(results, title: title, yRange: yRange))) }
        if case .object(let m as MetaResultValue) = v { return FigureValue(.panels(meta(m.result, title: title))) }
        return nil
    }
}
