@preconcurrency import CReadline
import Glibc
import Language

/// Tab completion: names, members after `.`, commands after `:`, file names after `:load`.
final class Completer {
    /// Word boundaries for readline. `.`, `:` and `?` break words so the word under the
    /// cursor is a bare name; the text before it tells the context.
    static let wordBreakCharacters = " \t\n\"'`@$><=;|&{}()[],+-*/%!^~.:?"
    /// After `:load` only blanks and quotes break words, so a path is one word.
    static let pathBreakCharacters = " \t\n\"'"

    /// True when the line is a `:load` command, whose argument is a file name.
    static func isLoadCommand(_ line: String) -> Bool {
        let head = line.drop(while: \.isWhitespace)
        guard head.first == ":" else { return false }
        return Commands.resolve(String(head.dropFirst().prefix(while: { !$0.isWhitespace })))?.name == "load"
            && head.contains(where: \.isWhitespace)
    }

    enum Answer: Equatable {
        /// Candidates; `space`: add a blank after a unique match (commands, not code,
        /// where `(`, `.` or `[` usually follows a name).
        case words([String], space: Bool)
        /// Let readline complete file names.
        case fileNames
    }

    let interpreter: Interpreter
    init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// - Parameters:
    ///   - before: the line up to the word being completed.
    ///   - word: the (partial) word under the cursor.
    func complete(before: String, word: String) -> Answer {
        let head = String(before.drop(while: \.isWhitespace))
        if head == ":" { return .words(matching(word, in: Commands.names), space: true) }
        if head.hasPrefix(":") {
            let command = head.dropFirst().prefix(while: { !$0.isWhitespace })
            switch Commands.resolve(String(command))?.name {
            case "load": return .fileNames
            case "help": return .words(matching(word, in: helpTopics), space: false)
            case "type", "time": return complete(before: String(head.drop(while: { !$0.isWhitespace })), word: word)
            default: return .words([], space: false)
            }
        }
        if head == "?" { return .words(matching(word, in: helpTopics), space: false) }
        if before.last == "." {
            let receiver = Self.receiver(endingBefore: before.dropLast())
            if receiver.isEmpty { return .words([], space: false) }
            return .words(matching(word, in: interpreter.memberNames(forExpression: receiver)), space: false)
        }
        if word.isEmpty && before.allSatisfy(\.isWhitespace) { return .words(["    "], space: false) }  // indent
        let names = matching(word, in: interpreter.globalNames() + Interpreter.keywords)
        return .words(names, space: names.count == 1 && Interpreter.keywords.contains(names[0]))
    }

    private var helpTopics: [String] { interpreter.globalNames() + Interpreter.keywords }

    private func matching(_ word: String, in names: [String]) -> [String] {
        Array(Set(names.filter { $0.hasPrefix(word) })).sorted()
    }

    /// The expression whose members are wanted: the name/index/field chain just before
    /// the dot (`a.b[0].` → `a.b[0]`). Calls are left out on purpose: pressing Tab must
    /// never run user code.
    static func receiver(endingBefore text: Substring) -> String {
        var i = text.endIndex
        var depth = 0
        while i > text.startIndex {
            let c = text[text.index(before: i)]
            if depth > 0 {
                if c == "]" { depth += 1 } else if c == "[" { depth -= 1 }
            } else if c == "]" {
                depth = 1
            } else if !(c.isLetter || c.isNumber || c == "_" || c == ".") {
                break
            }
            i = text.index(before: i)
        }
        if depth != 0 { return "" }
        return String(text[i...])
    }
}

private func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map(Array.init) else { return "" }
    for word in words.dropFirst() {
        let chars = Array(word)
        var n = 0
        while n < prefix.count && n < chars.count && prefix[n] == chars[n] { n += 1 }
        prefix.removeLast(prefix.count - n)
    }
    return String(prefix)
}

/// Readline's match list: [common prefix, match..., NULL], every string malloc'ed.
private func matchList(_ words: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard !words.isEmpty else { return nil }
    let count = words.count == 1 ? 2 : words.count + 2
    guard let raw = malloc(count * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
    let list = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count)
    list[0] = strdup(words.count == 1 ? words[0] : commonPrefix(words))
    if words.count > 1 {
        for (i, w) in words.enumerated() { list[i + 1] = strdup(w) }
    }
    list[count - 1] = nil
    return list
}

/// Both word-break sets, allocated once: readline keeps the pointer the hook returns.
private nonisolated(unsafe) let codeBreaks = strdup(Completer.wordBreakCharacters)
private nonisolated(unsafe) let pathBreaks = strdup(Completer.pathBreakCharacters)

/// Readline asks this for the word-break characters before each completion.
let wordBreakHook: @convention(c) () -> UnsafeMutablePointer<CChar>? = {
    guard let buffer = rl_line_buffer else { return codeBreaks }
    return Completer.isLoadCommand(String(cString: buffer)) ? pathBreaks : codeBreaks
}

/// The completer readline calls (no context pointer in the C API, hence a global).
nonisolated(unsafe) var activeCompleter: Completer?

let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, end in
    rl_attempted_completion_over = 1
    guard let completer = activeCompleter, let buffer = rl_line_buffer else { return nil }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                    count: Int(max(0, rl_end)))
    let cut = min(max(0, Int(start)), bytes.count)
    let before = String(decoding: bytes[..<cut], as: UTF8.self)
    let word = text.map { String(cString: $0) } ?? ""
    switch completer.complete(before: before, word: word) {
    case .fileNames:
        rl_attempted_completion_over = 0
        return nil
    case .words(let words, let space):
        if !space { rl_completion_suppress_append = 1 }
        return matchList(words)
    }
}
