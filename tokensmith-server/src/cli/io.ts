/** Where a command reads and writes; tests pass their own, the CLI uses the process's. */
export interface CliIo {
  /** Receives the command's output. */
  write(text: string): void;
  /** Receives warnings; default stderr. */
  warn?(text: string): void;
  /** Source of the credentials' environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** `fetch` to use; default the global one. */
  fetch?: typeof globalThis.fetch;
}

/** The process's stdout and environment. */
export function processIo(): CliIo {
  return { write: (text: string) => void process.stdout.write(text), warn: (text: string) => void process.stderr.write(text), env: process.env };
}

/** A token as the CLI prints it: in full only when asked, otherwise a note of its length. */
export function shownToken(token: string, showToken: boolean | undefined): string {
  return showToken ? token : `[masked: ${token.length} characters; --show-token prints it]`;
}
