import Foundation

/// Finds the `stdlib/` folder (holding prelude.taalm), in this order:
/// 1. `$TAALM_STDLIB`;
/// 2. next to the executable: `<exe>/../share/taalm/stdlib` (installed), `<exe-dir>/stdlib`;
/// 3. the source tree this module was built from (`swift run` from any directory).
///
/// Lookup rather than embedding: the prelude stays an ordinary, editable taalm file
/// (SwiftPM resources must live inside a target, and stdlib/ is top-level by design).
public enum Stdlib {
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  executablePath: String? = Stdlib.executablePath()) -> [String] {
        var out: [String] = []
        if let env = environment["TAALM_STDLIB"], !env.isEmpty { out.append(env) }
        if let exe = executablePath {
            let dir = (exe as NSString).deletingLastPathComponent
            out.append(((dir as NSString).appendingPathComponent("../share/taalm/stdlib") as NSString).standardizingPath)
            out.append((dir as NSString).appendingPathComponent("stdlib"))
        }
        out.append(sourceTreeStdlib)
        return out
    }

    /// The first candidate holding prelude.taalm.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 executablePath: String? = Stdlib.executablePath()) -> String? {
        candidates(environment: environment, executablePath: executablePath).first { dir in
            FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("prelude.taalm"))
        }
    }

    /// `<repo>/stdlib`, from this file's path at build time.
    public static let sourceTreeStdlib: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("stdlib").path
    }()

    public static func executablePath() -> String? {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return link }
        return Bundle.main.executablePath
    }
}
