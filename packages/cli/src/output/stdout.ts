/**
 * Standard output that reports a reader which went away (EPIPE) or a full disk as an error the
 * command can act on, instead of the unhandled 'error' event that kills Node with a stack trace.
 */

/** Standard output could not take what the command wrote. */
export class OutputClosedError extends Error {
  constructor(
    message: string,
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'OutputClosedError';
  }
}

let failure: NodeJS.ErrnoException | undefined;
let guarded = false;
const pending = new Set<Promise<void>>();

/** Installs the 'error' listener once; after it a failed write is remembered, never thrown. */
export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error;
  });
}

/** Whether a write to standard output has failed (so errors must go to stderr only). */
export function stdoutFailed(): boolean {
  return failure !== undefined;
}

/** Writes to standard output; the outcome is collected by `flushStdout`. */
export function writeStdout(text: string): void {
  guardStdout();
  if (failure) return;
  const write = new Promise<void>((done) => {
    process.stdout.write(text, (error) => {
      if (error) failure ??= error;
      done();
    });
  });
  pending.add(write);
  void write.then(() => pending.delete(write));
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'EPIPE') return 'standard output was closed before the output was written (EPIPE: the reading side of the pipe exited)';
  return `standard output could not be written (${error.code ?? error.message})`;
}

/** Resolves when everything written so far has reached standard output; rejects with OutputClosedError if any of it failed. */
export async function flushStdout(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
  if (failure) throw new OutputClosedError(describe(failure), failure.code);
}
