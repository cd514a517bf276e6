import Foundation

/// Number builtins.
extension Builtins {
    static func math(_ interp: Interpreter) {
        let unary: [(String, String, (Double) -> Double)] = [
            ("abs", "The absolute value.", { Swift.abs($0) }),
            ("floor", "The largest integer not above x.", { $0.rounded(.down) }),
            ("ceil", "The smallest integer not below x.", { $0.rounded(.up) }),
            ("sqrt", "The square root (nan for negative numbers).", { Foundation.sqrt($0) }),
            ("exp", "e raised to x.", { Foundation.exp($0) }),
            ("log", "The natural logarithm.", { Foundation.log($0) }),
            ("sin", "The sine (radians).", { Foundation.sin($0) }),
            ("cos", "The cosine (radians).", { Foundation.cos($0) }),
            ("tan", "The tangent (radians).", { Foundation.tan($0) }),
            ("tanh", "The hyperbolic tangent.", { Foundation.tanh($0) }),
        ]
        for (name, doc, op) in unary {
            fn(interp, name, doc, [Param("x")]) { args, _ throws(NativeError) in .number(op(try args.number(0))) }
        }
        fn(interp, "round", "Rounds to `digits` decimals (halves away from zero).\nExample: round(2.345, 2) == 2.35",
           [Param("x"), Param("digits", default: .number(0))]) { args, _ throws(NativeError) in
            let x = try args.number(0)
            let d = try args.int(1)
            guard (0...15).contains(d) else { throw NativeError("round digits must be between 0 and 15") }
            let scale = pow(10.0, Double(d))
            let r = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
            return .number(r.isFinite ? r : x)
        }
    }
}
