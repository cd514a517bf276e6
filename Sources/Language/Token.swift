/// Token kinds of the taalm lexer.
enum TokenKind: Hashable {
    case number(Double)
    case string([StringPart])
    case identifier(String)
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, dot, colon, semicolon, newline
    case plus, minus, star, slash, slashSlash, percent, starStar, at
    case equal, plusEqual, minusEqual, starEqual, slashEqual
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case kwLet, kwVar, kwFn, kwIf, kwElse, kwWhile, kwFor, kwIn, kwReturn, kwBreak, kwContinue
    case kwTrue, kwFalse, kwNil, kwAnd, kwOr, kwNot, kwImport
    case eof

    static let keywords: [String: TokenKind] = [
        "let": .kwLet, "var": .kwVar, "fn": .kwFn, "if": .kwIf, "else": .kwElse, "while": .kwWhile,
        "for": .kwFor, "in": .kwIn, "return": .kwReturn, "break": .kwBreak, "continue": .kwContinue,
        "true": .kwTrue, "false": .kwFalse, "nil": .kwNil, "and": .kwAnd, "or": .kwOr, "not": .kwNot,
        "import": .kwImport,
    ]

    /// The spelling of a keyword token (nil for other tokens).
    var keywordName: String? { TokenKind.keywordNames[self] }
    private static let keywordNames: [TokenKind: String] = Dictionary(uniqueKeysWithValues: keywords.map { ($1, $0) })

    /// The name a token spells where any name is allowed (after `.`, a record field):
    /// an identifier or a keyword (`t.var()`, `{if: 1}.if`).
    var memberName: String? {
        if case .identifier(let name) = self { return name }
        return keywordName
    }

    /// How the token reads in an error message.
    var display: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .identifier(let name): return "'\(name)'"
        case .newline: return "newline"
        case .eof: return "end of input"
        default:
            if let kw = TokenKind.keywords.first(where: { $0.value == self }) { return "'\(kw.key)'" }
            return "'\(symbol)'"
        }
    }

    var symbol: String {
        switch self {
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .comma: ","
        case .dot: "."
        case .colon: ":"
        case .semicolon: ";"
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .slashSlash: "//"
        case .percent: "%"
        case .starStar: "**"
        case .at: "@"
        case .equal: "="
        case .plusEqual: "+="
        case .minusEqual: "-="
        case .starEqual: "*="
        case .slashEqual: "/="
        case .equalEqual: "=="
        case .bangEqual: "!="
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        default: "?"
        }
    }
}

/// A piece of a string literal: literal text, or the byte range of an interpolated `{expr}`.
enum StringPart: Hashable {
    case text(String)
    case code(start: Int, end: Int)
}

struct Token {
    var kind: TokenKind
    /// Byte offsets into the source.
    var start: Int
    var end: Int
}
