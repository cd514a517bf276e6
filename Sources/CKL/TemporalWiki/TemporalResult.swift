import JSONText
/// What the TemporalWiki protocol measures after one period (period 0 = the base model).
public struct TemporalPeriodRecord: Sendable, Hashable {
    public let period: Int
    /// Mean NLL of the object tokens on probes of facts that changed in this period (learning).
    public let changedNLL: Double
    /// Mean NLL of the object tokens on probes of facts never changed so far (retention).
    public let unchangedNLL: Double
    /// Accuracy (teacher-forced argmax over the object tokens) on the same probes.
    public let changedAccuracy: Double
    public let unchangedAccuracy: Double
    /// Mean training loss over the period's last epoch (nil for period 0).
    public let trainLoss: Double?
    /// Articles trained on in this period.
    public let documents: Int

    public init(period: Int, changedNLL: Double, unchangedNLL: Double, changedAccuracy: Double, unchangedAccuracy: Double,
                trainLoss: Double?, documents: Int) {
        self.period = period
        self.changedNLL = changedNLL
        self.unchangedNLL = unchangedNLL
        self.changedAccuracy = changedAccuracy
        self.unchangedAccuracy = unchangedAccuracy
        self.trainLoss = trainLoss
        self.documents = documents
    }

    /// (changed + unchanged) / 2.
    public var averageNLL: Double { (changedNLL + unchangedNLL) / 2 }
}

/// The outcome of one TemporalWiki run: per-period NLLs (lower is better) and their means.
public struct TemporalResult: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    public let settings: [CKLResult.Setting]
    /// Period 0 (the base, before any training; its "changed" probes are period 1's new
    /// facts), then one record per trained period.
    public let periods: [TemporalPeriodRecord]
    public let seconds: Double
    public let interrupted: Bool

    public init(method: String, settings: [CKLResult.Setting] = [], periods: [TemporalPeriodRecord], seconds: Double = 0,
                interrupted: Bool = false) {
        self.method = method
        self.settings = settings
        self.periods = periods
        self.seconds = seconds
        self.interrupted = interrupted
    }

    /// The trained periods (1…).
    public var trained: [TemporalPeriodRecord] { periods.filter { $0.period > 0 } }

    private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
    /// Means over the trained periods.
    public var meanChangedNLL: Double { mean(trained.map(\.changedNLL)) }
    public var meanUnchangedNLL: Double { mean(trained.map(\.unchangedNLL)) }
    public var meanAverageNLL: Double { mean(trained.map(\.averageNLL)) }

    public var description: String {
        var lines = ["\(method): mean NLL changed \(String(format3: meanChangedNLL)), unchanged \(String(format3: meanUnchangedNLL)), "
            + "average \(String(format3: meanAverageNLL)) (\(String(format3: seconds)) s\(interrupted ? ", interrupted" : ""))"]
        lines.append("  period  changed  unchanged  average")
        for p in periods {
            lines.append("  " + String(p.period).leftPad(6) + "  " + String(format3: p.changedNLL).leftPad(7) + "  "
                         + String(format3: p.unchangedNLL).leftPad(9) + "  " + String(format3: p.averageNLL).leftPad(7))
        }
        return lines.joined(separator: "\n")
    }

    public var jsonValue: JSONValue {
        .object([
            ("method", .string(method)),
            ("mean_changed_nll", .number(meanChangedNLL)),
            ("mean_unchanged_nll", .number(meanUnchangedNLL)),
            ("mean_average_nll", .number(meanAverageNLL)),
            ("interrupted", .bool(interrupted)),
            ("seconds", .number(seconds)),
            ("settings", .object(settings.map { ($0.name, JSONValue.string($0.value)) })),
            ("periods", .array(periods.map { p in
                .object([("period", .integer(p.period)), ("changed_nll", .number(p.changedNLL)),
                         ("unchanged_nll", .number(p.unchangedNLL)), ("average_nll", .number(p.averageNLL)),
                         ("changed_acc", .number(p.changedAccuracy)), ("unchanged_acc", .number(p.unchangedAccuracy)),
                         ("train_loss", p.trainLoss.map { .number($0) } ?? .null), ("documents", .integer(p.documents))])
            })),
        ])
    }

    public func toJSON() -> String { JSONWriter.write(jsonValue) }

    /// `method,period,changed_nll,unchanged_nll,average_nll,changed_acc,unchanged_acc,train_loss`.
    public func toCSV() -> String {
        (["method,period,changed_nll,unchanged_nll,average_nll,changed_acc,unchanged_acc,train_loss"] + periods.map { p in
            [CSV.field(method), String(p.period), JSONWriter.pythonFloat(p.changedNLL), JSONWriter.pythonFloat(p.unchangedNLL),
             JSONWriter.pythonFloat(p.averageNLL), JSONWriter.pythonFloat(p.changedAccuracy),
             JSONWriter.pythonFloat(p.unchangedAccuracy), p.trainLoss.map(JSONWriter.pythonFloat) ?? ""].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }
}
