import Foundation
import Interrupts

/// Whether a piece of REPL input can run yet.
public enum Completeness: Sendable {
    case complete
    /// The parser reached the end of input in the middle of a construct: read another line.
    case incomplete
    case invalid
}

/// The language's public façade: compiles and runs taalm code, keeps the globals, and
/// answers the REPL's questions (completion, help, variables).
public final class Interpreter {
    public var config: InterpreterConfig { didSet { machine.config = config } }
    /// Sink for `print` output; no newline is added by the sink.
    public var write: (String) -> Void = { text in print(text, terminator: "") }
    /// Arguments after the script name, visible to scripts as `args`.
    public var scriptArguments: [String] = [] {
        didSet { globals.define("args", .list(ListBox(scriptArguments.map { .string($0) })), constant: false, doc: "the script's command-line arguments (a list of strings)") }
    }
    /// Where the prelude was loaded from (nil when not found or disabled).
    public private(set) var preludePath: String?
    /// Why the prelude could not be loaded, if it could not.
    public private(set) var preludeProblem: String?

    public static let keywords = ["and", "break", "continue", "else", "false", "fn", "for", "if", "import", "in",
                                  "let", "nil", "not", "or", "return", "true", "var", "while"]

    let globals = Globals()
    let machine: Machine
    /// Methods of the built-in types: type name → method name → function (receiver first).
    var methods: [String: [String: Value]] = [:]
    private var snapshot: Globals.Snapshot?
    /// Globals below this index were defined at start-up (builtins, prelude).
    var snapshotCount: Int? { snapshot?.values.count }
    /// Global `i`'s value at start-up, when it existed then.
    func startupValue(_ i: Int) -> Value? {
        guard let snapshot, i < snapshot.values.count, snapshot.defined[i] else { return nil }
        return snapshot.values[i]
    }
    private var imported: Set<String> = []
    /// Files running right now, outermost first (canonical path, name as given): an
    /// import of one of them is a cycle, skipped (the file is already running).
    private var importing: [(key: String, name: String)] = []
    /// Cycles skipped while a file ran, by that file's canonical path: its error then says
    /// which names could not be defined yet.
    private var skippedCycles: [String: [String]] = [:]
    private var running = false

    public init(config: InterpreterConfig = .init()) {
        self.config = config
        machine = Machine(config: config, globals: globals)
        machine.interpreter = self
        machine.write = { [unowned self] text in self.write(text) }
        Builtins.register(in: self)
        scriptArguments = []
        if config.loadPrelude { loadPrelude() }
        Builtins.bindMethods(in: self)
        snapshot = globals.snapshot()
    }

    deinit {
        // Release user values on a big stack too (deeply nested lists free recursively).
        let globals = self.globals
        BigStack.run(size: config.stackSize) { globals.restore(Globals.Snapshot(values: [], defined: [], isConst: [], docs: [:])) }
    }

    private func loadPrelude() {
        guard let dir = Stdlib.directory() else {
            preludeProblem = "stdlib/prelude.taalm not found (set TAALM_STDLIB to the stdlib folder)"
            return
        }
        let path = (dir as NSString).appendingPathComponent("prelude.taalm")
        do {
            try runFile(path: path)
            preludePath = path
        } catch {
            preludeProblem = render(error)
        }
    }

    // MARK: running code

    public func completeness(of source: String) -> Completeness {
        let diagnostics = (try? onEvaluationThread { () throws(TaalmError) in
            Parser.parse(Source(name: "<input>", text: source)).1
        }) ?? []
        guard let first = diagnostics.first else { return .complete }
        return first.isUnexpectedEnd ? .incomplete : .invalid
    }

    struct Compiled {
        var code: Code
        var frameSize: Int
        var hasCells: Bool
        var endsWithBareExpression: Bool
    }

    func compile(_ source: Source) throws(TaalmError) -> Compiled {
        let (program, diagnostics) = Parser.parse(source)
        if let first = diagnostics.first {
            throw TaalmError(kind: first.isUnexpectedEnd ? .incomplete : .parse, diagnostics: diagnostics)
        }
        let (unit, problems) = Resolver.resolve(program, source: source, globals: globals)
        if !problems.isEmpty { throw TaalmError(kind: .parse, diagnostics: problems) }
        let c = Compiler(source: source).unit(unit)
        return Compiled(code: c.code, frameSize: c.frameSize, hasCells: c.hasCells,
                        endsWithBareExpression: unit.endsWithBareExpression)
    }

    /// Runs `body` on the evaluation thread (a big stack; compiling deeply nested code and
    /// deep taalm recursion never touch the caller's stack). Re-entrant calls run in place.
    func onEvaluationThread<T>(_ body: () throws(TaalmError) -> T) throws(TaalmError) -> T {
        if running { return try body() }
        var result: Result<T, TaalmError>?
        let sp = machine.sp, depth = machine.depth
        let onBigStack = config.stackSize >= 16 << 20
        func job() {
            running = true
            defer { running = false }
            machine.resetBudget(config.stepLimit ?? Int.max)
            machine.stackFloor = BigStack.floor(remaining: onBigStack ? config.stackSize : BigStack.currentThreadAllowance)
            do throws(TaalmError) { result = .success(try body()) } catch { result = .failure(error) }
        }
        if onBigStack { BigStack.run(size: config.stackSize, job) } else { job() }
        machine.sp = sp
        machine.depth = depth
        machine.returnValue = .null
        guard let result else {
            throw TaalmError(kind: .runtime, diagnostics: [Diagnostic(message: "internal error: evaluation did not run", location: nil)])
        }
        return try result.get()
    }

    /// Runs compiled top-level code; call on the evaluation thread.
    func execute(_ compiled: Compiled) throws(TaalmError) -> Value {
        do throws(Unwind) {
            return try machine.runUnit(compiled.code, frameSize: compiled.frameSize, hasCells: compiled.hasCells)
        } catch {
            throw taalmError(error)
        }
    }

    private func taalmError(_ unwind: Unwind) -> TaalmError {
        switch unwind {
        case .failure(let f):
            guard var embedded = f.embedded else { return f.taalmError() }
            // A runtime error in an imported file: its own frames, then where it was imported.
            guard embedded.kind == .runtime || embedded.kind == .interrupted else { return embedded }
            if embedded.trace.isEmpty, let at = embedded.location {
                embedded.trace.append(TraceFrame(function: "<top level>", location: at))
            }
            let outer = f.taalmError()
            if !outer.trace.isEmpty {
                embedded.trace += outer.trace
            } else if let at = outer.location {
                embedded.trace.append(TraceFrame(function: "<top level>", location: at))
            }
            return embedded
        default:
            return TaalmError(kind: .runtime, diagnostics: [Diagnostic(message: "internal error: control flow escaped", location: nil)])
        }
    }

    /// Runs one REPL cell: binds `_` to the value of a bare final expression (unless
    /// `bindsUnderscore` is false, as for `:type`) and returns it (nil when the cell ends in
    /// a statement, a trailing `;`, or the value is nil).
    public func runCell(_ source: String, file: String, bindsUnderscore: Bool = true) throws(TaalmError) -> Value? {
        if !running, config.handlesInterrupts { config.interruptFlag.clear() }
        let (value, bare) = try onEvaluationThread { () throws(TaalmError) in
            let compiled = try compile(Source(name: file, text: source))
            return (try execute(compiled), compiled.endsWithBareExpression)
        }
        guard bare, !value.isNil else { return nil }
        if bindsUnderscore { globals.define("_", value, constant: false) }
        return value
    }

    /// Runs a script file.
    public func runFile(path: String) throws(TaalmError) {
        let text: String
        switch ScriptFile.read(path) {
        case .success(let t): text = t
        case .failure(let problem):
            throw TaalmError(kind: .runtime, diagnostics: [Diagnostic(message: "cannot open '\(path)': \(problem.reason)", location: nil)])
        }
        let key = Interpreter.canonical(path)
        imported.insert(key)
        importing.append((key, path))
        defer { importing.removeLast() }
        try run(source: text, file: path)
    }

    /// Parses and resolves a script without running it: the syntax and scope errors that
    /// `run` would report before its first statement (names bound at run time, such as
    /// globals a script reads before defining them, are only checked by running).
    public func check(source: String, file: String) throws(TaalmError) {
        _ = try onEvaluationThread { () throws(TaalmError) in try compile(Source(name: file, text: source)) }
    }

    /// Runs source text as a script (for `-e` and tests).
    public func run(source: String, file: String) throws(TaalmError) {
        _ = try onEvaluationThread { () throws(TaalmError) in try execute(try compile(Source(name: file, text: source))) }
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `import "path"`: runs a file once per interpreter; its names land in the global scope.
    func importFile(_ path: String, from loc: Loc) throws(Unwind) {
        let importer = loc.source.name
        let base = importer.hasPrefix("<") ? "" : (importer as NSString).deletingLastPathComponent
        let full = path.hasPrefix("/") || base.isEmpty ? path : (base as NSString).appendingPathComponent(path)
        let key = Interpreter.canonical(full)
        if imported.contains(key) {
            if let start = importing.firstIndex(where: { $0.key == key }), let importer = importing.last {
                let names = importing[start...].map(\.name) + [full]
                skippedCycles[importer.key] = names.map { ($0 as NSString).lastPathComponent }
            }
            return
        }
        let text: String
        switch ScriptFile.read(full) {
        case .success(let t): text = t
        case .failure(.missing):
            throw fail("cannot import '\(path)': file not found", hint: "paths are relative to the importing file", at: loc)
        case .failure(let problem):
            throw fail("cannot import '\(path)': \(problem.reason)", at: loc)
        }
        imported.insert(key)
        importing.append((key, full))
        defer { importing.removeLast(); skippedCycles[key] = nil }
        do throws(TaalmError) {
            _ = try execute(try compile(Source(name: full, text: text)))
        } catch {
            var error = error
            // A name the file expected from a file still running (an import cycle) is the
            // cycle's doing, whatever name it is close to.
            if let cycle = skippedCycles[key], error.kind == .runtime, error.message.hasPrefix("undefined variable"),
               error.location?.file == full, !error.diagnostics.isEmpty {
                error.diagnostics[0].hint = "import cycle: \(cycle.joined(separator: " → ")) (\(cycle[0]) was still running "
                    + "when \(cycle[cycle.count - 2]) imported it, so the names it defines after that import did not exist yet)"
            }
            let f = RuntimeFailure(error.message, at: loc)
            f.embedded = error
            throw .failure(f)
        }
    }

    // MARK: diagnostics and display

    public func render(_ error: TaalmError) -> String { Diagnostics.render(error, color: false) }
    public func render(_ error: TaalmError, color: Bool) -> String { Diagnostics.render(error, color: color) }

    public func typeName(of value: Value) -> String { value.typeName }

    /// The text `print` shows.
    public func display(_ value: Value) -> String { ValueText.text(value, width: config.displayWidth) }

    /// REPL echo: the value's source-like form and its type, e.g. `42  : number`.
    public func echo(_ value: Value) -> String {
        switch value {
        case .object(let o):
            let shown = o.display(DisplayContext(width: config.displayWidth, color: config.color))
            let summary = Self.summaryAfterType(o.shortSummary, o.typeName)
            return "\(shown)  : \(o.typeName)\(summary.isEmpty ? "" : " \(summary)")"
        default:
            return "\(ValueText.repr(value, width: config.displayWidth))  : \(value.typeName)"
        }
    }

    /// A summary without the type name it may start with (`:vars` shows summaries on their
    /// own, so many begin "lm …" or "ckl_result …"; the echo already names the type).
    static func summaryAfterType(_ summary: String, _ typeName: String) -> String {
        guard summary.hasPrefix(typeName) else { return summary }
        var rest = summary.dropFirst(typeName.count)
        guard rest.isEmpty || rest.first == " " || rest.first == ":" || rest.first == "," else { return summary }
        while let c = rest.first, c == " " || c == ":" || c == "," { rest = rest.dropFirst() }
        return String(rest)
    }

    // MARK: registration (used by the Runtime bindings)

    /// Registers a native function as a constant global.
    public func define(_ fn: NativeFunction) {
        globals.define(fn.name, .native(fn), constant: true, doc: fn.doc)
    }

    /// Registers any value (a constant, a native object) under a global name.
    public func define(_ name: String, _ value: Value, doc: String = "") {
        globals.define(name, value, constant: true, doc: doc.isEmpty ? nil : doc)
    }

    /// Adds a method to a built-in type (`typeName` as shown by `type(x)`); the function receives the receiver first.
    public func defineMethod(on typeName: String, _ fn: NativeFunction) {
        methods[typeName, default: [:]][fn.name] = .native(fn)
    }

    /// The value of a global, if defined.
    public func global(_ name: String) -> Value? { globals.value(name) }

    /// Makes everything defined so far (builtins, the prelude, an embedder's natives) the
    /// start-up state: `reset` returns to it, `variables()` lists only later names and
    /// `helpIndex()` lists all of these. Embedders call it after defining their builtins.
    public func sealStartupState() { snapshot = globals.snapshot() }

    /// Forgets user globals; builtins and the prelude stay.
    public func reset() {
        // On the evaluation thread: releasing a deeply nested value recurses in deinit.
        if let snapshot { _ = try? onEvaluationThread { () throws(TaalmError) in globals.restore(snapshot) } }
        imported = []
        if let prelude = preludePath { imported.insert(Interpreter.canonical(prelude)) }
    }
}
