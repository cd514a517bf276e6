import Foundation
import TensorCore

/// numpy-like text for tensors: aligned columns, integers without a decimal point,
/// large tensors truncated to their first and last three entries along each long axis.
public enum TensorText {
    /// Tensors with more elements than this are shown truncated.
    public static let truncateAbove = 1000
    static let edge = 3

    /// `tensor([[1, 2],\n        [3, 4]])`; a truncated or empty tensor also names its
    /// shape and dtype, which its entries no longer show: `tensor([...], shape: [100, 100], dtype: float32)`.
    public static func render(_ t: Tensor, prefix: String = "tensor(") -> String {
        let values = t.scalars
        let truncated = t.count > truncateAbove
        let format = NumberFormat(values: values)
        if t.rank == 0 { return prefix + format.text(values.first ?? 0) + ")" }
        var out = prefix
        let indent = String(repeating: " ", count: prefix.count)
        if t.count == 0 {
            out += "[]"
        } else {
            block(t.shape, Shape.strides(t.shape), values, axis: 0, offset: 0, truncated: truncated,
                  format: format, indent: indent + " ", into: &out)
        }
        if truncated || (t.count == 0 && t.rank > 1) { out += ", shape: \(shapeString(t.shape)), dtype: float32" }
        return out + ")"
    }

    private static func block(_ shape: [Int], _ strides: [Int], _ v: [Float], axis: Int, offset: Int,
                              truncated: Bool, format: NumberFormat, indent: String, into out: inout String) {
        let n = shape[axis]
        let shown: [Int?] = truncated && n > 2 * edge
            ? Array(0..<edge).map { Optional($0) } + [nil] + Array((n - edge)..<n).map { Optional($0) }
            : Array(0..<n).map { Optional($0) }
        out += "["
        if axis == shape.count - 1 {
            out += shown.map { i in i.map { format.text(v[offset + $0 * strides[axis]]) } ?? "..." }.joined(separator: ", ")
            out += "]"
            return
        }
        let separator = "," + String(repeating: "\n", count: shape.count - axis - 1) + indent
        for (k, i) in shown.enumerated() {
            if k > 0 { out += separator }
            if let i {
                block(shape, strides, v, axis: axis + 1, offset: offset + i * strides[axis], truncated: truncated,
                      format: format, indent: indent + " ", into: &out)
            } else {
                out += "..."
            }
        }
        out += "]"
    }

    /// One way to print every number of a tensor, chosen from its values (as numpy does).
    struct NumberFormat {
        enum Style { case integer, fixed(Int), scientific }
        let style: Style
        let width: Int

        init(values: [Float]) {
            let finite = values.filter { $0.isFinite }
            let maxAbs = finite.map { Swift.abs($0) }.max() ?? 0
            let minNonZero = finite.map { Swift.abs($0) }.filter { $0 > 0 }.min() ?? 0
            if finite.allSatisfy({ $0 == $0.rounded() }) && maxAbs < 1e8 {
                style = .integer
            } else if maxAbs < 1e5 && (minNonZero >= 1e-4 || minNonZero == 0) {
                // Enough decimals to show 4 significant digits of the smallest magnitude, at most 8.
                let digits = minNonZero > 0 ? Swift.min(8, Swift.max(4, 4 - Int(Foundation.log10(Double(minNonZero)).rounded(.down)) - 1)) : 4
                style = .fixed(Swift.min(digits, 8))
            } else {
                style = .scientific
            }
            var w = 0
            let probe = NumberFormat(style: style, width: 0)
            for v in values { w = Swift.max(w, probe.raw(v).count) }
            width = w
        }

        private init(style: Style, width: Int) { self.style = style; self.width = width }

        func raw(_ v: Float) -> String {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            switch style {
            case .integer: return String(Int64(v))
            case .fixed(let d):
                return String(format: "%.\(d)f", Double(v))
            case .scientific: return String(format: "%.4e", Double(v))
            }
        }

        func text(_ v: Float) -> String {
            let s = raw(v)
            return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
        }
    }
}
