/// The syntax tree the parser builds. Positions are byte offsets into the unit's `Source`.

public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
    case power = "**", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in"
}

public enum UnaryOperator: String, Sendable {
    case negate = "-", plus = "+", not = "not"
}

indirect enum Expr {
    case number(Double, Int)
    case string(String, Int)
    case interpolation([InterpolationPart], Int)
    case bool(Bool, Int)
    case null(Int)
    case name(String, Int)
    case list([Expr], Int)
    case record([(key: String, value: Expr)], Int)
    case unary(UnaryOperator, Expr, Int)
    case binary(BinaryOperator, Expr, Expr, Int)
    case and(Expr, Expr, Int)
    case or(Expr, Expr, Int)
    case call(Expr, [Argument], Int)
    case member(Expr, String, Int)
    case index(Expr, [IndexExpr], Int)
    case function(FunctionDecl)
    case ifElse(Expr, [Stmt], [Stmt]?, Int)

    var position: Int {
        switch self {
        case .number(_, let p), .string(_, let p), .interpolation(_, let p), .bool(_, let p), .null(let p),
             .name(_, let p), .list(_, let p), .record(_, let p), .unary(_, _, let p), .binary(_, _, _, let p),
             .and(_, _, let p), .or(_, _, let p), .call(_, _, let p), .member(_, _, let p), .index(_, _, let p),
             .ifElse(_, _, _, let p):
            return p
        case .function(let f): return f.position
        }
    }
}

enum InterpolationPart {
    case text(String)
    case expr(Expr)
}

struct Argument {
    var name: String?
    var value: Expr
    var position: Int
}

enum IndexExpr {
    case value(Expr)
    case slice(Expr?, Expr?, Expr?)
}

struct Parameter {
    var name: String
    var defaultValue: Expr?
    var position: Int
}

final class FunctionDecl {
    var name: String?
    let params: [Parameter]
    let body: [Stmt]
    let position: Int
    let doc: String?
    init(name: String?, params: [Parameter], body: [Stmt], position: Int, doc: String?) {
        self.name = name; self.params = params; self.body = body; self.position = position; self.doc = doc
    }
}

indirect enum Pattern {
    case name(String, Int)
    case tuple([Pattern], Int)

    var position: Int {
        switch self { case .name(_, let p), .tuple(_, let p): return p }
    }
    var names: [(String, Int)] {
        switch self {
        case .name(let n, let p): return [(n, p)]
        case .tuple(let items, _): return items.flatMap(\.names)
        }
    }
}

enum AssignOperator {
    case add, subtract, multiply, divide
    var binary: BinaryOperator {
        switch self {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        }
    }
}

indirect enum Stmt {
    case expression(Expr)
    case binding(Pattern, Expr, mutable: Bool, Int)
    case function(FunctionDecl)
    case assign(Expr, AssignOperator?, Expr, Int)
    case whileLoop(Expr, [Stmt], Int)
    case forLoop(Pattern, Expr, [Stmt], Int)
    case returnStmt(Expr?, Int)
    case breakStmt(Int)
    case continueStmt(Int)
    case importStmt(String, Int)
}

/// A parsed unit (file, cell, `-e` text).
struct Program {
    var statements: [Stmt]
    /// The unit ends in a bare expression statement with no trailing `;` (a REPL echoes it).
    var endsWithBareExpression: Bool
}
