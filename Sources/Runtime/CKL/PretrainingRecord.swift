import CKL
import Foundation
import Language

/// How `pretrain` made a base model, as a taalm record and a one-line summary.
enum PretrainingRecord {
    static func value(_ p: PretrainResult) -> Value {
        return .makeRecord([
            ("epochs", .number(Double(p.epochs))),
            ("reached_target_at", p.reachedTargetAt.map { .number(Double($0)) } ?? .null),
            ("not_to_forget", .number(p.notToForgetAccuracy)),
            ("to_learn", .number(p.toLearnAccuracy)),
            ("seconds", .number(p.seconds)),
            ("interrupted", .bool(p.interrupted)),
            ("curve", .makeRecord([
                ("epoch", .makeList(p.curve.map { .number(Double($0.epoch)) })),
                ("loss", .makeList(p.curve.map { .number($0.loss) })),
                ("not_to_forget", .makeList(p.curve.map { .number($0.notToForget) })),
                ("to_learn", .makeList(p.curve.map { .number($0.toLearn) })),
            ])),
        ])
    }

    static func summary(_ p: PretrainResult) -> String {
        "pretrained \(p.epochs) epochs (\(String(format: "%.1f", p.seconds)) s): NOT-TO-FORGET \(String(format: "%.3f", p.notToForgetAccuracy)), TO-LEARN \(String(format: "%.3f", p.toLearnAccuracy))"
            + (p.reachedTargetAt.map { ", target reached at epoch \($0)" } ?? "") + (p.interrupted ? " — interrupted" : "")
    }
}
