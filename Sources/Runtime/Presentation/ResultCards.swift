import CKL
import Display
import Foundation
import Language
import NN
import TrainAttention

/// Report forms of the result, benchmark and model values: a summary card, and a chart of
/// their curves where they have them.
extension CKLResultValue: RichDisplay {
    var card: SummaryCard {
        let r = result
        var notes: [String] = []
        if let a = r.curve.first, let b = r.curve.last {
            notes.append("TO-LEARN \(f3(a.toLearn)) → \(f3(b.toLearn)), NOT-TO-FORGET \(f3(a.notToForget)) → \(f3(b.notToForget)) from epoch 0 to \(b.epoch)")
        }
        if r.interrupted { notes.append("interrupted after \(r.epochsCompleted) of \(r.plannedEpochs) epochs") }
        return SummaryCard(kind: "LAMA-ckl result", title: r.method, fields: [
            .init("Top Acc", f3(r.topAccuracy), emphasis: true), .init("NF Acc", f3(r.notToForgetAtTop), emphasis: true),
            .init("Total Knowledge", f3(r.totalKnowledge), emphasis: true), .init("at epoch", String(r.topEpoch)),
            .init("Ep@90%", String(r.epochsTo90)),
            .init("epochs", "\(r.epochsCompleted) of \(r.plannedEpochs)"), .init("time", String(format: "%.1f s", r.seconds)),
        ], notes: notes)
    }

    public func richOutput(_ ctx: DisplayContext) -> ReportOutput { .html(card.html()) }

    public func richOutputs(_ ctx: DisplayContext) -> [ReportOutput] {
        [.html(card.html()), .svg(ResultPlots.ckl([result]).svg(), caption: "\(result.method): task accuracy per epoch (epoch 0 = before training)")]
    }
}

extension TemporalResultValue: RichDisplay {
    public func richOutput(_ ctx: DisplayContext) -> ReportOutput { .table(Self.periodTable([result])) }
}

extension MetaResultValue: RichDisplay {
    var card: SummaryCard {
        let r = result, evals = r.evaluations
        var fields: [SummaryCard.Field] = [.init("steps", String(r.metaLosses.count)), .init("time", String(format: "%.1f s", r.seconds))]
        if let first = r.metaLosses.first {
            let tail = r.metaLosses.suffix(10)
            fields.insert(.init("meta-loss", "\(ModelArgs.fixed(first)) → \(ModelArgs.fixed(tail.reduce(0, +) / Double(tail.count)))", emphasis: true), at: 0)
        }
        if let a = evals.first, let b = evals.last {
            fields.insert(.init("object share (held out)", "\(ModelArgs.fixed(a.agreement.objectShare, 3)) → \(ModelArgs.fixed(b.agreement.objectShare, 3))", emphasis: true), at: 1)
            fields.insert(.init("precision@k", "\(ModelArgs.fixed(a.agreement.precisionAtK, 3)) → \(ModelArgs.fixed(b.agreement.precisionAtK, 3))"), at: 2)
            if let va = a.validationAccuracy, let vb = b.validationAccuracy {
                fields.insert(.init("task accuracy", "\(ModelArgs.fixed(va, 3)) → \(ModelArgs.fixed(vb, 3))"), at: 3)
            }
        }
        var notes = ["meta-loss: the last number is the mean of the last 10 steps; \(evals.count) evaluations — r.snapshot(i) shows φ's weights at evaluation i"]
        if r.interrupted { notes.append("interrupted") }
        return SummaryCard(kind: "meta_result", title: "Train-Attention meta-training", fields: fields, notes: notes)
    }

    func richOutput(_ ctx: DisplayContext) -> ReportOutput { .html(card.html()) }

    func richOutputs(_ ctx: DisplayContext) -> [ReportOutput] {
        guard !result.metaLosses.isEmpty else { return [.html(card.html())] }
        return [.html(card.html()), .svg(ResultPlots.meta(result).svg(), caption: nil)]
    }
}

extension BenchmarkValue: RichDisplay {
    public func richOutput(_ ctx: DisplayContext) -> ReportOutput {
        let b = benchmark, s = b.statistics
        var fields: [SummaryCard.Field] = [
            .init("TO-LEARN", String(b.toLearn.count), emphasis: true), .init("NOT-TO-FORGET", String(b.notToForget.count), emphasis: true),
            .init("META", String(b.meta.count)), .init("SKILL", String(b.skill.count)),
            .init("corpus documents", String(s.corpusDocuments)), .init("vocabulary", String(s.vocabularySize)),
        ]
        if let p = preset { fields.append(.init("preset", p)) }
        let notes = s.splits.map { x in
            "\(x.name): \(x.units) units, \(String(format: "%.1f", x.meanEvidenceWords)) words per document, object \(String(format: "%.1f", 100 * x.objectWordFraction))% of the words"
        }
        return .html(SummaryCard(kind: "LAMA-ckl benchmark", title: b.name, fields: fields, notes: notes).html())
    }
}

extension UnitValue: RichDisplay {
    public func richOutput(_ ctx: DisplayContext) -> ReportOutput {
        let u = unit
        return .html(SummaryCard(kind: "CKL unit", title: u.taskDescriptive, fields: [
            .init("subject", u.subject), .init("relation", u.relationLabel), .init("object", u.object, emphasis: true),
            .init("kind", u.invariant ? "time-invariant" : "time-variant"),
        ], notes: ["evidence: " + u.evidence]).html())
    }
}

extension ModelValue: RichDisplay {
    func richOutput(_ ctx: DisplayContext) -> ReportOutput {
        let c = model.config
        var fields: [SummaryCard.Field] = [
            .init("parameters", ModelArgs.count(model.parameterCount), emphasis: true), .init("layers", String(c.layers)),
            .init("dim", String(c.dModel)), .init("heads", String(c.heads)), .init("context", String(c.context)),
            .init("vocab", String(c.vocabSize)),
        ]
        if model.trainableCount != model.parameterCount { fields.append(.init("trainable", ModelArgs.count(model.trainableCount))) }
        var notes: [String] = []
        if let t = model.tokenizer { notes.append("tokenizer: \(t.description)") }
        if let l = model.lora { notes.append("\(l)") }
        if let a = model.adapters { notes.append("\(a)") }
        if let p = pretraining { notes.append(PretrainingRecord.summary(p)) }
        return .html(SummaryCard(kind: "language model", title: "lm \(c.layers)×\(c.dModel)", fields: fields, notes: notes).html())
    }

    func richOutputs(_ ctx: DisplayContext) -> [ReportOutput] {
        guard let p = pretraining, p.curve.count > 1 else { return [richOutput(ctx)] }
        let epochs = p.curve.map { Double($0.epoch) }
        let chart = ChartPanels(panels: [
            LineChart(title: "pretraining loss", xLabel: "epoch", yLabel: "loss", series: [Series("loss", x: epochs, y: p.curve.map(\.loss))]),
            LineChart(title: "task accuracy", xLabel: "epoch", yLabel: "accuracy",
                      series: [Series("NOT-TO-FORGET", x: epochs, y: p.curve.map(\.notToForget)),
                               Series("TO-LEARN", x: epochs, y: p.curve.map(\.toLearn))],
                      yRange: ResultPlots.accuracyRange(p.curve.flatMap { [$0.notToForget, $0.toLearn] }), legend: true),
        ])
        return [richOutput(ctx), .svg(chart.svg(), caption: nil)]
    }
}

extension TrainAttentionValue: RichDisplay {
    func richOutput(_ ctx: DisplayContext) -> ReportOutput {
        let c = model.config
        return .html(SummaryCard(kind: "Train-Attention φ", title: "train_attention \(c.layers)×\(c.dModel)", fields: [
            .init("parameters", ModelArgs.count(model.parameterCount), emphasis: true), .init("layers", String(c.layers)),
            .init("dim", String(c.dModel)), .init("heads", String(c.heads)), .init("context", String(c.context)),
        ], notes: ["weight = sigmoid(head(hidden)) at each token"]).html())
    }
}
