/// The resolved form: the AST with every name turned into a storage place. The compiler
/// only accepts this form, so the type system proves resolution happened.

/// A local variable of one function frame. `captured` is settled when the resolver has
/// seen the whole function; captured locals live in cells, the rest directly in slots.
final class LocalVar {
    let name: String
    let slot: Int
    let isConst: Bool
    var captured = false
    init(name: String, slot: Int, isConst: Bool) { self.name = name; self.slot = slot; self.isConst = isConst }
}

enum Place {
    case local(LocalVar)
    /// Index into the running closure's captures.
    case upvalue(Int)
    case global(Int)
}

/// How a closure, when created, finds each variable it captures.
enum CaptureSpec {
    case local(LocalVar)
    case upvalue(Int)
}

indirect enum RExpr {
    case constant(Value, Int)
    case variable(Place, String, Int)
    case interpolation([RInterpolationPart], Int)
    case list([RExpr], Int)
    case record([String], [RExpr], Int)
    case unary(UnaryOperator, RExpr, Int)
    case binary(BinaryOperator, RExpr, RExpr, Int)
    case and(RExpr, RExpr, Int)
    case or(RExpr, RExpr, Int)
    case call(RExpr, [RExpr], [(String, RExpr)], Int)
    case methodCall(RExpr, String, [RExpr], [(String, RExpr)], Int)
    case member(RExpr, String, Int)
    case index(RExpr, [RIndex], Int)
    case function(RFunction)
    case ifElse(RExpr, [RStmt], [RStmt]?, Int)
}

enum RInterpolationPart {
    case text(String)
    case expr(RExpr)
}

enum RIndex {
    case value(RExpr)
    case slice(RExpr?, RExpr?, RExpr?)
}

indirect enum RPattern {
    case variable(Place, isConst: Bool, String)
    case tuple([RPattern], Int)
}

enum RTarget {
    case variable(Place, String)
    case member(RExpr, String)
    case index(RExpr, [RIndex])
}

indirect enum RStmt {
    case expression(RExpr)
    case define(RPattern, RExpr, Int)
    case assign(RTarget, AssignOperator?, RExpr, Int)
    case whileLoop(RExpr, [RStmt], Int)
    case forLoop(RPattern, RExpr, [RStmt], Int)
    case returnStmt(RExpr?, Int)
    case breakStmt(Int)
    case continueStmt(Int)
    case importStmt(String, Int)
}

final class RFunction {
    let name: String
    let doc: String?
    let params: [LocalVar]
    let defaults: [RExpr?]
    let body: [RStmt]
    let frameSize: Int
    let captures: [CaptureSpec]
    let position: Int
    /// Every local of the function (to know, after resolution, which are captured).
    let locals: [LocalVar]
    init(name: String, doc: String?, params: [LocalVar], defaults: [RExpr?], body: [RStmt], frameSize: Int,
         captures: [CaptureSpec], position: Int, locals: [LocalVar]) {
        self.name = name; self.doc = doc; self.params = params; self.defaults = defaults; self.body = body
        self.frameSize = frameSize; self.captures = captures; self.position = position; self.locals = locals
    }
}

/// A resolved unit: top-level statements run in a frame of `frameSize` slots.
struct RUnit {
    var statements: [RStmt]
    var frameSize: Int
    var locals: [LocalVar]
    var endsWithBareExpression: Bool
}
