import TensorCore

/// An ordered set of named tensors keyed by dotted path (`blocks.0.attn.wq`): the
/// parameters of a model as a plain value.
///
/// Models are applied functionally (`model.logits(params:tokens:)`), so an updated set
/// θ' = θ − αg is just another `ParameterSet`, built with `map`/`zip` and differentiable
/// ops when the update itself must be differentiated. Order is insertion order and is
/// the order of checkpoints, optimizer state and displays.
public struct ParameterSet: Sendable, CustomStringConvertible {
    public private(set) var paths: [String] = []
    private var index: [String: Int] = [:]
    public private(set) var tensors: [Tensor] = []

    public init() {}

    /// A set from (path, tensor) pairs in order; a repeated path is an error.
    public init(_ pairs: [(String, Tensor)]) throws(NNError) {
        for (p, t) in pairs {
            guard index[p] == nil else { throw .parameter("path '\(p)' appears twice") }
            insert(p, t)
        }
    }

    public var count: Int { paths.count }
    public var isEmpty: Bool { paths.isEmpty }
    /// Total number of scalars.
    public var scalarCount: Int { tensors.reduce(0) { $0 + $1.count } }

    public func contains(_ path: String) -> Bool { index[path] != nil }

    /// The tensor at `path`, or nil.
    public subscript(path: String) -> Tensor? {
        get { index[path].map { tensors[$0] } }
        set {
            if let t = newValue {
                if let i = index[path] { tensors[i] = t } else { insert(path, t) }
            } else if let i = index[path] {
                paths.remove(at: i); tensors.remove(at: i)
                index = [:]
                for (k, p) in paths.enumerated() { index[p] = k }
            }
        }
    }

    private mutating func insert(_ p: String, _ t: Tensor) {
        index[p] = paths.count
        paths.append(p)
        tensors.append(t)
    }

    /// The tensor at `path`, or a clear error naming what is missing.
    public func require(_ path: String) throws(NNError) -> Tensor {
        guard let i = index[path] else { throw .parameter("no parameter '\(path)' in this set") }
        return tensors[i]
    }

    /// The tensor at `path`, checked to have `shape`.
    public func require(_ path: String, shape: [Int]) throws(NNError) -> Tensor {
        let t = try require(path)
        guard t.shape == shape else {
            throw .parameter("'\(path)' has shape \(shapeString(t.shape)), expected \(shapeString(shape))")
        }
        return t
    }

    /// (path, tensor) pairs in order.
    public var entries: [(path: String, tensor: Tensor)] { Swift.zip(paths, tensors).map { ($0, $1) } }

    /// Applies `f` to every tensor (same paths, same order).
    public func map(_ f: (String, Tensor) throws -> Tensor) throws(NNError) -> ParameterSet {
        var out = self
        for i in tensors.indices {
            out.tensors[i] = try nn { try f(paths[i], tensors[i]) }
        }
        return out
    }

    /// Combines two sets with the same paths elementwise (e.g. θ − αg); a path missing
    /// from `other` or a differing shape is an error.
    public func zip(_ other: ParameterSet, _ f: (String, Tensor, Tensor) throws -> Tensor) throws(NNError) -> ParameterSet {
        var out = self
        for i in tensors.indices {
            guard let o = other[paths[i]] else { throw .parameter("'\(paths[i])' is missing from the second set") }
            guard o.shape == tensors[i].shape else {
                throw .parameter("'\(paths[i])': shapes \(shapeString(tensors[i].shape)) and \(shapeString(o.shape)) differ")
            }
            out.tensors[i] = try nn { try f(paths[i], tensors[i], o) }
        }
        return out
    }

    /// Replaces the tensors whose paths appear in `updates` (other paths unchanged); an
    /// update for a path not in this set is an error.
    public func applying(_ updates: ParameterSet) throws(NNError) -> ParameterSet {
        var out = self
        for (p, t) in updates.entries {
            guard let i = index[p] else { throw .parameter("cannot update '\(p)': not in this set") }
            guard tensors[i].shape == t.shape else {
                throw .parameter("cannot update '\(p)': shape \(shapeString(t.shape)) differs from \(shapeString(tensors[i].shape))")
            }
            out.tensors[i] = t
        }
        return out
    }

    /// The sub-set of paths for which `keep` is true, in order.
    public func filter(_ keep: (String) -> Bool) -> ParameterSet {
        var out = ParameterSet()
        for (p, t) in entries where keep(p) { out.insert(p, t) }
        return out
    }

    /// The sub-set of paths matching any of the glob `patterns`.
    public func matching(_ patterns: [String]) -> ParameterSet {
        filter { p in patterns.contains { PathPattern.matches($0, p) } }
    }

    /// Adds the entries of `other` (its paths must be new).
    public func merging(_ other: ParameterSet) throws(NNError) -> ParameterSet {
        var out = self
        for (p, t) in other.entries {
            guard out.index[p] == nil else { throw .parameter("path '\(p)' appears in both sets") }
            out.insert(p, t)
        }
        return out
    }

    /// Every tensor cut loose from any autodiff graph.
    public func detached() -> ParameterSet {
        var out = self
        out.tensors = tensors.map { $0.detach() }
        return out
    }

    /// A copy where each tensor gets its own storage (values equal).
    public func copied() throws(NNError) -> ParameterSet {
        try map { _, t in try Tensor(shape: t.shape, values: t.scalars) }
    }

    public var description: String {
        var lines = ["ParameterSet(\(count) tensors, \(scalarCount) scalars)"]
        for (p, t) in entries { lines.append("  \(p) \(shapeString(t.shape))") }
        return lines.joined(separator: "\n")
    }
}

/// Glob patterns over parameter paths: `*` matches one path component (no dots),
/// `**` matches any number of components (including none), anything else matches
/// literally; a pattern that is a plain prefix also matches its subtree
/// (`blocks.0` matches `blocks.0.attn.wq`).
public enum PathPattern {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = pattern.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let s = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return match(p[...], s[...], prefixOK: true)
    }

    private static func match(_ p: ArraySlice<String>, _ s: ArraySlice<String>, prefixOK: Bool) -> Bool {
        guard let head = p.first else { return s.isEmpty || prefixOK }
        if head == "**" {
            var rest = s
            while true {
                if match(p.dropFirst(), rest, prefixOK: prefixOK) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let first = s.first, component(head, first) else { return false }
        return match(p.dropFirst(), s.dropFirst(), prefixOK: prefixOK)
    }

    /// One component against a pattern component with `*` wildcards inside it.
    private static func component(_ pattern: String, _ text: String) -> Bool {
        if pattern == "*" { return true }
        if !pattern.contains("*") { return pattern == text }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        guard let first = parts.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        for (k, part) in parts.enumerated().dropFirst() {
            if k == parts.count - 1 { return rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}
