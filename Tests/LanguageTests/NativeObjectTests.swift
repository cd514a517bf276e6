import Testing
@testable import Language

/// A tiny native type exercising the NativeObject protocol the Runtime bindings use.
final class Vec2: NativeObject {
    var x: Double, y: Double
    init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    var typeName: String { "vec2" }
    var doc: String { "A 2-d vector (test native)." }
    func display(_ ctx: DisplayContext) -> String { "vec2(\(ValueText.number(x)), \(ValueText.number(y)))" }
    var shortSummary: String { "[2]" }
    var memberNames: [String] { ["x", "y", "norm2", "scale"] }
    var length: Int? { 2 }
    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "x": return .number(x)
        case "y": return .number(y)
        case "norm2": return .number(x * x + y * y)
        case "scale":
            return .native(NativeFunction("scale", doc: "Scales the vector.", params: [Param("k")]) { args, _ throws(NativeError) in
                .object(Vec2(self.x * (try args.number(0)), self.y * (try args.number(0))))
            })
        default: return nil
        }
    }
    func setMember(_ name: String, _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool {
        guard let d = value.numberValue else { throw NativeError("vec2 components are numbers") }
        switch name {
        case "x": x = d
        case "y": y = d
        default: return false
        }
        return true
    }
    func binary(_ op: BinaryOperator, _ other: Value, selfOnLeft: Bool, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch (op, other) {
        case (.add, .object(let o as Vec2)): return .object(Vec2(x + o.x, y + o.y))
        case (.multiply, .number(let k)): return .object(Vec2(x * k, y * k))
        case (.matmul, .object(let o as Vec2)): return .number(x * o.x + y * o.y)
        default: return nil
        }
    }
    func unary(_ op: UnaryOperator, _ ctx: CallContext) throws(NativeError) -> Value? {
        op == .negate ? .object(Vec2(-x, -y)) : nil
    }
    func `subscript`(_ index: [IndexComponent], _ ctx: CallContext) throws(NativeError) -> Value? {
        guard index.count == 1, case .value(.number(let i)) = index[0] else { throw NativeError("vec2 takes one integer index") }
        switch i { case 0: return .number(x); case 1: return .number(y); default: throw NativeError("vec2 index \(ValueText.number(i)) out of range") }
    }
    func iterate(_ ctx: CallContext) throws(NativeError) -> [Value]? { [.number(x), .number(y)] }
}

@Suite struct NativeObjectTests {
    func interpreter() -> Interpreter {
        let interp = Interpreter(config: .quiet)
        interp.define(NativeFunction("vec2", doc: "Makes a vec2.", params: [Param("x"), Param("y", default: .number(0))]) { args, _ throws(NativeError) in
            .object(Vec2(try args.number(0), try args.number(1)))
        })
        // A transform over taalm functions, like grad(f): returns a native that calls f back.
        interp.define(NativeFunction("twice", doc: "twice(f)(x) == f(f(x))", params: [Param("f")]) { args, _ throws(NativeError) in
            let f = try args.callable(0)
            return .native(NativeFunction("twice_f", params: [Param("x")]) { inner, ctx throws(NativeError) in
                try ctx.call(f, [try ctx.call(f, [inner[0]])])
            })
        })
        return interp
    }

    func eval(_ interp: Interpreter, _ code: String) throws -> String {
        guard let v = try interp.runCell(code, file: "<t>") else { return "nil" }
        return ValueText.repr(v)
    }

    @Test func operatorsMembersIndexingIteration() throws {
        let interp = interpreter()
        _ = try interp.runCell("let a = vec2(1, 2)\nlet b = vec2(3)", file: "<t>")
        #expect(try eval(interp, "a + b") == "vec2(4, 2)")
        #expect(try eval(interp, "a * 2") == "vec2(2, 4)")
        #expect(try eval(interp, "a @ b") == "3")
        #expect(try eval(interp, "-a") == "vec2(-1, -2)")
        #expect(try eval(interp, "a.norm2") == "5")
        #expect(try eval(interp, "a.scale(3)") == "vec2(3, 6)")
        #expect(try eval(interp, "a[1]") == "2")
        #expect(try eval(interp, "list(a)") == "[1, 2]")
        #expect(try eval(interp, "len(a)") == "2")
        #expect(try eval(interp, "sum(a)") == "3")
        #expect(try eval(interp, "let (p, q) = a; p + q") == "3")
        #expect(try eval(interp, "a.x = 10; a.x") == "10")
        #expect(try eval(interp, "a == a") == "true")
        #expect(interp.echo(try interp.runCell("a", file: "<t>") ?? .null) == "vec2(10, 2)  : vec2 [2]")
        #expect(interp.memberNames(forExpression: "a") == ["norm2", "scale", "x", "y"])
        #expect(interp.help("vec2") == "vec2(x, y = 0)\nMakes a vec2.")
        #expect(interp.help("a.scale")?.contains("Scales") == true)
        #expect(interp.variables().first { $0.name == "a" }?.summary == "[2]")
    }

    @Test func nativeErrorsGetTheCallSite() {
        let interp = interpreter()
        do throws(TaalmError) {
            try interp.run(source: "let a = vec2(1)\nprint(a[5])", file: "n.taalm")
        } catch {
            #expect(Golden.brief(error.diagnostics[0]) == "n.taalm:2:8: vec2 index 5 out of range")
        }
        do throws(TaalmError) {
            try interp.run(source: "let a = vec2(1)\nprint(a + \"s\")", file: "n.taalm")
        } catch {
            #expect(Golden.brief(error.diagnostics[0]) == "n.taalm:2:9: unsupported operand types for '+': vec2 and string")
        }
    }

    @Test func nativesCallTaalmFunctionsBack() throws {
        let interp = interpreter()
        #expect(try eval(interp, "twice(fn(x) { x * 3 })(2)") == "18")
        #expect(try eval(interp, "twice(twice(fn(x) { x + 1 }))(0)") == "4")
        do throws(TaalmError) {
            try interp.run(source: "fn bad(x) { x / 0 }\ntwice(bad)(1)", file: "cb.taalm")
        } catch {
            // The error keeps its own location inside the callback.
            #expect(Golden.brief(error.diagnostics[0]) == "cb.taalm:1:15: division by zero")
            #expect(interp.render(error).contains("in fn bad at cb.taalm:1:15"))
        }
    }
}
