/** Ends a script with `main`'s exit code; a thrown error is its message alone (one line that says what to fix) and exit 1. */
export function runScript(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
