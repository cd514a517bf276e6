/// Recursive-descent parser with panic-mode recovery: an error abandons the current
/// statement, the parser skips to the next statement boundary and carries on, so one run
/// reports several errors. Running out of input mid-construct yields a diagnostic with
/// `isUnexpectedEnd` (the REPL's "read another line" signal).
struct ParseAbort: Error {
    /// The statement was abandoned at a token that starts the next one (an unclosed
    /// bracket ran into the next line's `let`): parsing resumes there, nothing is skipped.
    var resumeHere = false
}

final class Parser {
    static let maxNesting = 256

    let source: Source
    private var tokens: [Token]
    private var current = 0
    private(set) var diagnostics: [Diagnostic]
    private let docComments: [Int: String]
    private var depth = 0
    /// Inside `"{...}"`: running out of input there is an error, not an incomplete cell.
    private let inInterpolation: Bool

    init(source: Source, range: Range<Int>? = nil, inInterpolation: Bool = false) {
        let lexer = Lexer.tokenize(source, range: range)
        self.source = source
        self.tokens = lexer.tokens
        self.diagnostics = lexer.diagnostics
        self.docComments = lexer.docComments
        self.inInterpolation = inInterpolation
    }

    /// Parses a whole unit; diagnostics are empty when it parsed cleanly.
    static func parse(_ source: Source) -> (Program, [Diagnostic]) {
        let parser = Parser(source: source)
        let program = parser.program()
        return (program, parser.diagnostics)
    }

    // MARK: tokens

    private var peek: TokenKind { tokens[current].kind }
    private var token: Token { tokens[current] }
    private func peekKind(_ k: Int) -> TokenKind { tokens[min(current + k, tokens.count - 1)].kind }

    @discardableResult
    private func advance() -> Token {
        let t = tokens[current]
        if current < tokens.count - 1 { current += 1 }
        return t
    }

    private func check(_ kind: TokenKind) -> Bool { peek == kind }

    private func match(_ kind: TokenKind) -> Bool {
        if peek == kind { advance(); return true }
        return false
    }

    private func skipNewlines() { while peek == .newline { advance() } }

    /// The kind of the next token that is not a newline.
    private func nextSignificant() -> TokenKind {
        var k = current
        while tokens[k].kind == .newline, k < tokens.count - 1 { k += 1 }
        return tokens[k].kind
    }

    @discardableResult
    private func consume(_ kind: TokenKind, _ expectation: String) throws(ParseAbort) -> Token {
        if peek == kind { return advance() }
        throw error(expectation)
    }

    /// Consumes the bracket closing `opening`. When a later line starts a new statement
    /// instead, the bracket was left open: the error points at it, and parsing resumes
    /// at that statement (so unclosed brackets on consecutive lines are each reported).
    @discardableResult
    private func close(_ kind: TokenKind, opening: Token, _ expectation: String) throws(ParseAbort) -> Token {
        if peek == kind { return advance() }
        let t = token
        try checkOpen(opening, expectation)
        let at = source.location(opening.start)
        let stillOpen = t.kind == .eof || source.line(of: t.start) > at.line
        throw error(expectation, hint: stillOpen ? "the '\(opening.kind.symbol)' at line \(at.line), column \(at.column) is still open" : nil)
    }

    /// Inside brackets, before the next element (or the closer): a statement starting on a
    /// later line means `opening` was never closed.
    private func checkOpen(_ opening: Token, _ expectation: String) throws(ParseAbort) {
        let t = token
        guard t.kind != .eof, current > 0, tokens[current - 1].kind == .newline, startsStatement(),
              source.line(of: t.start) > source.line(of: opening.start) else { return }
        report("'\(opening.kind.symbol)' is never closed", at: opening.start,
               hint: "\(expectation) before \(t.kind.display) on line \(source.line(of: t.start))")
        throw ParseAbort(resumeHere: true)
    }

    /// Whether the current token can only begin a statement (or end a block), never
    /// continue an expression: the sign that a bracket before it was not closed.
    private func startsStatement() -> Bool {
        switch peek {
        case .kwLet, .kwVar, .kwWhile, .kwFor, .kwReturn, .kwBreak, .kwContinue, .kwImport, .rightBrace: return true
        case .kwFn: if case .identifier = peekKind(1) { return true } else { return false }
        case .identifier:
            switch peekKind(1) {
            case .equal, .plusEqual, .minusEqual, .starEqual, .slashEqual: return true
            default: return false
            }
        default: return false
        }
    }

    /// Records an error at the current token and returns the abort to throw.
    private func error(_ expectation: String, hint: String? = nil, at tokenOverride: Token? = nil) -> ParseAbort {
        let t = tokenOverride ?? token
        if t.kind == .eof || (t.kind == .newline && peekKind(1) == .eof && tokenOverride == nil) {
            // Point just after the last real token: where the input stopped.
            var k = current
            while k > 0, tokens[k].kind == .newline || tokens[k].kind == .eof { k -= 1 }
            let at = k < current && tokens[k].kind != .newline ? tokens[k].end : t.start
            let combined = hint.map { "\(expectation); \($0)" } ?? expectation
            if inInterpolation {
                report("incomplete expression in string interpolation", at: at, hint: combined)
            } else {
                report("unexpected end of input", at: at, hint: combined, unexpectedEnd: true)
            }
        } else {
            report("\(expectation), found \(t.kind.display)", at: t.start, hint: hint)
        }
        return ParseAbort()
    }

    private func report(_ message: String, at offset: Int, hint: String? = nil, unexpectedEnd: Bool = false) {
        let location = source.location(offset)
        // One error per line: the rest are usually echoes of the first. Running out of
        // input after the lexer already did (an unterminated string) says nothing new.
        if diagnostics.contains(where: { $0.location?.line == location.line && $0.location?.file == location.file }) { return }
        if unexpectedEnd, diagnostics.contains(where: \.isUnexpectedEnd) { return }
        diagnostics.append(Diagnostic(message: message, hint: hint, location: source.location(offset), isUnexpectedEnd: unexpectedEnd))
    }

    private func nest() throws(ParseAbort) {
        depth += 1
        if depth > Parser.maxNesting {
            report("expression nested too deeply (limit \(Parser.maxNesting))", at: token.start)
            throw ParseAbort()
        }
    }

    /// Skips to the next statement boundary (newline or ';' outside nested braces, or the `}` of the enclosing block).
    private func synchronize() {
        var braces = 0
        while peek != .eof {
            switch peek {
            case .newline, .semicolon:
                if braces == 0 { advance(); return }
            case .leftBrace: braces += 1
            case .rightBrace:
                if braces == 0 { return }
                braces -= 1
            default: break
            }
            advance()
        }
    }

    // MARK: statements

    func program() -> Program {
        var statements: [Stmt] = []
        var lastHadSemicolon = false
        skipNewlines()
        while peek != .eof {
            depth = 0
            if peek == .rightBrace {
                report("unexpected '}'", at: token.start, hint: "there is no block open here")
                advance()
                continue
            }
            do {
                let stmt = try statement()
                statements.append(stmt)
                try terminator()
            } catch {
                if !error.resumeHere { synchronize() }
            }
            lastHadSemicolon = false
            while peek == .newline || peek == .semicolon {
                if peek == .semicolon { lastHadSemicolon = true }
                advance()
            }
        }
        var bare = false
        if case .expression = statements.last { bare = !lastHadSemicolon }
        return Program(statements: statements, endsWithBareExpression: bare)
    }

    private func terminator() throws(ParseAbort) {
        switch peek {
        case .newline, .semicolon, .eof, .rightBrace: return
        default:
            throw error("expected newline or ';' after statement",
                        hint: "put each statement on its own line, or separate them with ';'")
        }
    }

    private func block(_ what: String) throws(ParseAbort) -> [Stmt] {
        if peek == .newline, nextSignificant() == .leftBrace { skipNewlines() }
        try consume(.leftBrace, "expected '{' \(what)")
        try nest()
        defer { depth -= 1 }
        var statements: [Stmt] = []
        while peek == .newline || peek == .semicolon { advance() }
        while peek != .rightBrace, peek != .eof {
            let saved = depth
            do {
                statements.append(try statement())
                try terminator()
            } catch {
                depth = saved
                if !error.resumeHere { synchronize() }
            }
            while peek == .newline || peek == .semicolon { advance() }
        }
        try consume(.rightBrace, "expected '}' to close the block")
        return statements
    }

    private func statement() throws(ParseAbort) -> Stmt {
        let start = token.start
        switch peek {
        case .kwLet, .kwVar:
            let mutable = advance().kind == .kwVar
            let pattern = try self.pattern()
            if !mutable || check(.equal) {
                try consume(.equal, mutable ? "expected '='" : "expected '=' after the name in 'let'")
                skipNewlines()
                return .binding(pattern, try expression(), mutable: mutable, start)
            }
            if case .tuple = pattern { throw error("expected '=' after a destructuring pattern") }
            return .binding(pattern, .null(start), mutable: true, start)
        case .kwFn:
            if case .identifier = peekKind(1) {
                advance()
                guard case .identifier(let name) = advance().kind else { throw error("expected a function name") }
                let decl = try functionRest(name: name, start: start)
                return .function(decl)
            }
        case .kwWhile:
            advance()
            let cond = try expression()
            return .whileLoop(cond, try block("after the while condition"), start)
        case .kwFor:
            advance()
            let pattern = try self.pattern()
            try consume(.kwIn, "expected 'in' after the loop variable")
            let iterable = try expression()
            return .forLoop(pattern, iterable, try block("after the for-in sequence"), start)
        case .kwReturn:
            advance()
            switch peek {
            case .newline, .semicolon, .rightBrace, .eof: return .returnStmt(nil, start)
            default: return .returnStmt(try expression(), start)
            }
        case .kwBreak:
            advance(); return .breakStmt(start)
        case .kwContinue:
            advance(); return .continueStmt(start)
        case .kwImport:
            advance()
            let t = token
            guard case .string(let parts) = t.kind else { throw error("expected a file path string after 'import'") }
            advance()
            var path = ""
            for part in parts {
                guard case .text(let s) = part else {
                    report("an import path cannot use interpolation", at: t.start)
                    throw ParseAbort()
                }
                path += s
            }
            return .importStmt(path, start)
        default:
            break
        }
        let expr = try expression()
        let op: AssignOperator?
        switch peek {
        case .equal: op = nil
        case .plusEqual: op = .add
        case .minusEqual: op = .subtract
        case .starEqual: op = .multiply
        case .slashEqual: op = .divide
        default: return .expression(expr)
        }
        let opToken = advance()
        switch expr {
        case .name, .member, .index: break
        default:
            report("invalid assignment target", at: expr.position,
                   hint: "only a variable, a field (r.x) or an element (xs[i]) can be assigned")
            throw ParseAbort()
        }
        if case .index(_, let items, _) = expr, items.contains(where: { if case .slice = $0 { true } else { false } }) {
            report("cannot assign to a slice", at: expr.position, hint: "assign elements one by one")
            throw ParseAbort()
        }
        skipNewlines()
        let value = try expression()
        _ = opToken
        return .assign(expr, op, value, expr.position)
    }

    private func pattern() throws(ParseAbort) -> Pattern {
        let start = token.start
        let opening = token
        if match(.leftParen) {
            try nest()
            defer { depth -= 1 }
            var items: [Pattern] = []
            skipNewlines()
            while !check(.rightParen) {
                items.append(try pattern())
                skipNewlines()
                if !match(.comma) { break }
                skipNewlines()
            }
            try close(.rightParen, opening: opening, "expected ')' to close the pattern")
            if items.isEmpty { throw error("expected a name in the pattern", at: tokens[current - 1]) }
            return .tuple(items, start)
        }
        guard case .identifier(let name) = peek else {
            throw error("expected a variable name")
        }
        advance()
        return .name(name, start)
    }

    private func functionRest(name: String?, start: Int) throws(ParseAbort) -> FunctionDecl {
        let opening = try consume(.leftParen, "expected '(' to start the parameter list")
        var params: [Parameter] = []
        skipNewlines()
        var sawDefault = false
        while !check(.rightParen) {
            let pstart = token.start
            guard case .identifier(let pname) = peek else { throw error("expected a parameter name") }
            advance()
            var defaultValue: Expr?
            if match(.equal) {
                skipNewlines()
                defaultValue = try expression()
                sawDefault = true
            } else if sawDefault {
                report("parameter '\(pname)' without a default follows a parameter with one", at: pstart,
                       hint: "put parameters with defaults last")
                throw ParseAbort()
            }
            params.append(Parameter(name: pname, defaultValue: defaultValue, position: pstart))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        try close(.rightParen, opening: opening, "expected ')' after the parameters")
        let body = try block("to start the function body")
        return FunctionDecl(name: name, params: params, body: body, position: start, doc: docBefore(start))
    }

    /// `## ...` lines directly above the line holding `offset`.
    private func docBefore(_ offset: Int) -> String? {
        var line = source.line(of: offset) - 1
        var lines: [String] = []
        while let text = docComments[line] { lines.insert(text, at: 0); line -= 1 }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    // MARK: expressions

    func expression() throws(ParseAbort) -> Expr {
        try nest()
        defer { depth -= 1 }
        return try orExpr()
    }

    private func orExpr() throws(ParseAbort) -> Expr {
        var left = try andExpr()
        let saved = depth
        defer { depth = saved }
        while check(.kwOr) {
            let p = advance().start
            try nest()
            skipNewlines()
            left = .or(left, try andExpr(), p)
        }
        return left
    }

    private func andExpr() throws(ParseAbort) -> Expr {
        var left = try notExpr()
        let saved = depth
        defer { depth = saved }
        while check(.kwAnd) {
            let p = advance().start
            try nest()
            skipNewlines()
            left = .and(left, try notExpr(), p)
        }
        return left
    }

    private func notExpr() throws(ParseAbort) -> Expr {
        if check(.kwNot) {
            let p = advance().start
            try nest()
            defer { depth -= 1 }
            return .unary(.not, try notExpr(), p)
        }
        return try comparison()
    }

    private func comparisonOperator() -> (BinaryOperator, negated: Bool)? {
        switch peek {
        case .equalEqual: return (.equal, false)
        case .bangEqual: return (.notEqual, false)
        case .less: return (.less, false)
        case .lessEqual: return (.lessEqual, false)
        case .greater: return (.greater, false)
        case .greaterEqual: return (.greaterEqual, false)
        case .kwIn: return (.contains, false)
        case .kwNot where peekKind(1) == .kwIn: return (.contains, true)
        default: return nil
        }
    }

    private func comparison() throws(ParseAbort) -> Expr {
        let left = try additive()
        guard let (op, negated) = comparisonOperator() else { return left }
        let p = advance().start
        if negated { advance() }
        skipNewlines()
        let right = try additive()
        if comparisonOperator() != nil {
            report("comparisons cannot be chained", at: token.start, hint: "write 'a < b and b < c'")
            throw ParseAbort()
        }
        let cmp = Expr.binary(op, left, right, p)
        return negated ? .unary(.not, cmp, p) : cmp
    }

    private func additive() throws(ParseAbort) -> Expr {
        var left = try multiplicative()
        let saved = depth
        defer { depth = saved }
        while true {
            let op: BinaryOperator
            switch peek {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return left
            }
            let p = advance().start
            try nest()
            skipNewlines()
            left = .binary(op, left, try multiplicative(), p)
        }
    }

    private func multiplicative() throws(ParseAbort) -> Expr {
        var left = try unary()
        let saved = depth
        defer { depth = saved }
        while true {
            let op: BinaryOperator
            switch peek {
            case .star: op = .multiply
            case .slash: op = .divide
            case .slashSlash: op = .floorDivide
            case .percent: op = .modulo
            case .at: op = .matmul
            default: return left
            }
            let p = advance().start
            try nest()
            skipNewlines()
            left = .binary(op, left, try unary(), p)
        }
    }

    private func unary() throws(ParseAbort) -> Expr {
        if check(.minus) || check(.plus) {
            let t = advance()
            try nest()
            defer { depth -= 1 }
            let operand = try unary()
            if t.kind == .minus, case .number(let v, _) = operand { return .number(-v, t.start) }
            return .unary(t.kind == .minus ? .negate : .plus, operand, t.start)
        }
        return try power()
    }

    private func power() throws(ParseAbort) -> Expr {
        let base = try postfix()
        if check(.starStar) {
            let p = advance().start
            try nest()
            defer { depth -= 1 }
            skipNewlines()
            return .binary(.power, base, try unary(), p)
        }
        return base
    }

    private func postfix() throws(ParseAbort) -> Expr {
        var expr = try primary()
        let saved = depth
        defer { depth = saved }
        while true {
            if peek == .newline, nextSignificant() == .dot { skipNewlines() }
            switch peek {
            case .leftParen:
                let opening = advance()
                try nest()
                expr = .call(expr, try arguments(opening), expr.position)
            case .leftBracket:
                let opening = advance()
                try nest()
                expr = .index(expr, try indexItems(opening), opening.start)
            case .dot:
                advance()
                let t = token
                guard let name = t.kind.memberName else { throw error("expected a member name after '.'") }
                advance()
                try nest()
                expr = .member(expr, name, t.start)
            default:
                return expr
            }
        }
    }

    private func arguments(_ opening: Token) throws(ParseAbort) -> [Argument] {
        var args: [Argument] = []
        skipNewlines()
        while !check(.rightParen) {
            try checkOpen(opening, "expected ')' after the arguments")
            let start = token.start
            if let name = peek.memberName, peekKind(1) == .colon {
                advance(); advance()
                skipNewlines()
                if args.contains(where: { $0.name == name }) {
                    report("argument '\(name)' given twice", at: start)
                    throw ParseAbort()
                }
                args.append(Argument(name: name, value: try expression(), position: start))
            } else {
                let value = try expression()
                if args.contains(where: { $0.name != nil }) {
                    report("positional argument after a named argument", at: start,
                           hint: "put positional arguments first")
                    throw ParseAbort()
                }
                args.append(Argument(name: nil, value: value, position: start))
            }
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        try close(.rightParen, opening: opening, "expected ')' after the arguments")
        return args
    }

    private func indexItems(_ opening: Token) throws(ParseAbort) -> [IndexExpr] {
        var items: [IndexExpr] = []
        skipNewlines()
        repeat {
            skipNewlines()
            var start: Expr?
            if !check(.colon) { start = try expression() }
            if match(.colon) {
                var stop: Expr?, step: Expr?
                if !check(.colon), !check(.comma), !check(.rightBracket) { stop = try expression() }
                if match(.colon), !check(.comma), !check(.rightBracket) { step = try expression() }
                items.append(.slice(start, stop, step))
            } else if let start {
                items.append(.value(start))
            }
            skipNewlines()
        } while match(.comma)
        try close(.rightBracket, opening: opening, "expected ']' after the index")
        return items
    }

    private func primary() throws(ParseAbort) -> Expr {
        let t = token
        switch t.kind {
        case .number(let v): advance(); return .number(v, t.start)
        case .string(let parts): advance(); return try stringLiteral(parts, t.start)
        case .kwTrue: advance(); return .bool(true, t.start)
        case .kwFalse: advance(); return .bool(false, t.start)
        case .kwNil: advance(); return .null(t.start)
        case .identifier(let name): advance(); return .name(name, t.start)
        case .leftParen:
            advance()
            skipNewlines()
            let first = try expression()
            skipNewlines()
            if match(.comma) {
                var items = [first]
                skipNewlines()
                while !check(.rightParen) {
                    try checkOpen(t, "expected ')' to close the tuple")
                    items.append(try expression())
                    skipNewlines()
                    if !match(.comma) { break }
                    skipNewlines()
                }
                try close(.rightParen, opening: t, "expected ')' to close the tuple")
                return .list(items, t.start)
            }
            try close(.rightParen, opening: t, "expected ')'")
            return first
        case .leftBracket:
            advance()
            var items: [Expr] = []
            skipNewlines()
            while !check(.rightBracket) {
                try checkOpen(t, "expected ']' to close the list")
                items.append(try expression())
                skipNewlines()
                if !match(.comma) { break }
                skipNewlines()
            }
            try close(.rightBracket, opening: t, "expected ']' to close the list")
            return .list(items, t.start)
        case .leftBrace:
            advance()
            var fields: [(key: String, value: Expr)] = []
            skipNewlines()
            while !check(.rightBrace) {
                try checkOpen(t, "expected '}' to close the record")
                let keyToken = token
                let key: String
                switch keyToken.kind {
                case let kind where kind.memberName != nil: key = kind.memberName ?? ""
                case .string(let parts) where parts.allSatisfy({ if case .text = $0 { true } else { false } }):
                    key = parts.map { if case .text(let s) = $0 { s } else { "" } }.joined()
                default: throw error("expected a field name in the record")
                }
                advance()
                if fields.contains(where: { $0.key == key }) {
                    report("duplicate field '\(key)' in record", at: keyToken.start)
                    throw ParseAbort()
                }
                try consume(.colon, "expected ':' after the field name")
                skipNewlines()
                fields.append((key, try expression()))
                skipNewlines()
                if !match(.comma) { break }
                skipNewlines()
            }
            try close(.rightBrace, opening: t, "expected '}' to close the record")
            return .record(fields, t.start)
        case .kwFn:
            advance()
            return .function(try functionRest(name: nil, start: t.start))
        case .kwIf:
            return try ifExpression()
        default:
            throw error("expected an expression")
        }
    }

    private func ifExpression() throws(ParseAbort) -> Expr {
        let start = advance().start
        try nest()
        defer { depth -= 1 }
        let cond = try expression()
        let then = try block("after the if condition")
        if nextSignificant() == .kwElse {
            skipNewlines()
            advance()
            if check(.kwIf) { return .ifElse(cond, then, [.expression(try ifExpression())], start) }
            return .ifElse(cond, then, try block("after 'else'"), start)
        }
        return .ifElse(cond, then, nil, start)
    }

    private func stringLiteral(_ parts: [StringPart], _ start: Int) throws(ParseAbort) -> Expr {
        if parts.isEmpty { return .string("", start) }
        if parts.count == 1, case .text(let s) = parts[0] { return .string(s, start) }
        var out: [InterpolationPart] = []
        for part in parts {
            switch part {
            case .text(let s): out.append(.text(s))
            case .code(let a, let b):
                let sub = Parser(source: source, range: a..<b, inInterpolation: true)
                sub.depth = depth
                sub.skipNewlines()
                if sub.peek == .eof {
                    report("empty interpolation in string", at: a, hint: "write '{{' for a literal brace")
                    throw ParseAbort()
                }
                do {
                    let e = try sub.expression()
                    sub.skipNewlines()
                    if sub.peek != .eof { throw sub.error("expected '}' to end the interpolation") }
                    diagnostics += sub.diagnostics
                    out.append(.expr(e))
                } catch {
                    diagnostics += sub.diagnostics
                    throw ParseAbort()
                }
            }
        }
        return .interpolation(out, start)
    }
}
