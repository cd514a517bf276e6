import Foundation

/// Reading a script from disk, with the reason when it cannot be run: the CLI, `:load`,
/// `runFile` and `import` all say the same thing.
public enum ScriptFile {
    public enum Problem: Error, Equatable, Sendable {
        case missing, directory, unreadable, notUTF8

        /// What follows "cannot open 'path': ".
        public var reason: String {
            switch self {
            case .missing: "no such file"
            case .directory: "it is a directory"
            case .unreadable: "permission denied or unreadable"
            case .notUTF8: "it is not UTF-8 text"
            }
        }

        /// The process exit code for input that cannot be read (sysexits' EX_NOINPUT).
        public var exitCode: Int32 { 66 }
    }

    public static func read(_ path: String) -> Result<String, Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        if isDirectory.boolValue { return .failure(.directory) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(.notUTF8) }
        return .success(text)
    }
}
