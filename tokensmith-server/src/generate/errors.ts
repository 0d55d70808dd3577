import { TokensmithError } from 'tokensmith';

/** Why `tokensmith generate` refused; branch on this rather than on the message. */
export type GenerateFailure =
  /** The spec file could not be read (missing, a directory, no permission). */
  | 'spec-unreadable'
  /** The file is not an OpenAPI 3.0/3.1 document tokensmith can read (syntax, version, a broken `$ref`). */
  | 'spec-invalid'
  /** An operation can only be called with a security scheme tokensmith cannot send. */
  | 'security-unsupported'
  /** `--docs` needs Java and the openapi-generator jar, and one is missing. */
  | 'generator-missing'
  /** openapi-generator ran and failed. */
  | 'generator-failed'
  /** A command-line argument is unusable (e.g. `--name`). */
  | 'invalid-argument'
  /** openapi-typescript or typescript, optional peers of tokensmith-server, is not installed. */
  | 'dependencies-missing';

/**
 * A refusal of `tokensmith generate`: one line that names the file, operation or scheme at fault
 * and what to do, with code 40003 (the input is unusable) and the {@link GenerateFailure} as
 * `reason`.
 */
export class GenerateError extends TokensmithError {
  /** What went wrong, as a stable string. */
  readonly reason: GenerateFailure;

  constructor(reason: GenerateFailure, message: string, options: { cause?: unknown } = {}) {
    super(40003, message, options);
    this.reason = reason;
  }
}
