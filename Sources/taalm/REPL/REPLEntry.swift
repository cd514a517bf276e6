import Foundation
import Language

/// Placeholder REPL (plain lines, no readline) until the interactive REPL lands in this
/// folder; keep the signature: `REPL.run(_:) -> Int32` returns the exit code.
enum REPL {
    static func run(_ interp: Interpreter) -> Int32 {
        var cell = ""
        print("taalm> ", terminator: "")
        fflush(nil)
        while let line = readLine(strippingNewline: false) {
            cell += line
            if interp.completeness(of: cell) == .incomplete {
                print("...> ", terminator: "")
                fflush(nil)
                continue
            }
            do throws(TaalmError) {
                if let value = try interp.runCell(cell, file: "<repl>") { print(interp.echo(value)) }
            } catch {
                print(interp.render(error))
            }
            cell = ""
            print("taalm> ", terminator: "")
            fflush(nil)
        }
        print()
        return 0
    }
}
