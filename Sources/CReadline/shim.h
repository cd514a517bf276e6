#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* C's standard streams as functions: Swift 6 rejects the `stdout`/`stderr` globals as
   shared mutable state (and `@preconcurrency import Glibc` does not survive whole-module
   builds that also import Foundation). */
static inline FILE *taalm_stdout(void) { return stdout; }
static inline FILE *taalm_stderr(void) { return stderr; }
