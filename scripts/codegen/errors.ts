/**
 * The one error type of the code generator. Its message is a single paragraph that names the
 * problem and, through `hint`, the fix. The CLI prints only the message (no stack trace) unless
 * `--debug` is given.
 */
export class CodegenError extends Error {
  override name = 'CodegenError';
  /** How to fix the problem, also appended to `message`. */
  readonly hint: string | undefined;

  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    const hint = options?.hint?.trim();
    super(hint ? `${message.trim()} ${hint}` : message.trim(), { cause: options?.cause });
    this.hint = hint || undefined;
  }
}

/** True for errors the generator raised on purpose (as opposed to bugs). */
export function isCodegenError(error: unknown): error is CodegenError {
  return error instanceof CodegenError;
}
