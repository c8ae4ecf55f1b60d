/**
 * The one error base of the project. Every package's error class extends it, so any caller (a Hono `onError`,
 * a CLI, a log line) can read `code`, `message`, `cause` and, where the error has one, the HTTP status, without
 * knowing which package threw.
 *
 * Codes are stable strings callers branch on; messages are for humans and may change. A code names one condition
 * across the whole project: two packages that report the same condition use the same code.
 */
export interface OmronErrorOptions {
  cause?: unknown;
  /** The HTTP status a server answers with when this error reaches it unhandled (4xx for the caller's fault). */
  httpStatus?: number | undefined;
}

/**
 * Marks every error that follows the {@link OmronError} contract, also one built by a package that cannot import
 * this one (the published `@omron/prover` stands alone) or by a second copy of it: `isOmronError` checks the mark.
 */
export const OMRON_ERROR = Symbol.for('@omron/core/error');

export class OmronError<Code extends string = string> extends Error {
  override name = 'OmronError';
  readonly [OMRON_ERROR] = true;
  readonly code: Code;
  /** Undefined when the error has no HTTP meaning; a server then treats it as internal (500 `INTERNAL`). */
  readonly httpStatus: number | undefined;

  constructor(code: Code, message: string, options: OmronErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = options.httpStatus;
  }

  /** The JSON body servers send for this error: the stable code and the human message, nothing else. */
  toJSON(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** What a server's error response body holds. */
export interface ErrorBody {
  code: string;
  message: string;
  /** Only where an error means to tell the caller more (the validator API's rate limits, input positions). */
  details?: unknown;
}

/** True when `err` is an {@link OmronError} (from any package), optionally with the given code. */
export function isOmronError(err: unknown, code?: string): err is OmronError {
  const marked =
    err instanceof OmronError ||
    (err instanceof Error && (err as unknown as Record<symbol, unknown>)[OMRON_ERROR] === true);
  return marked && (code === undefined || (err as OmronError).code === code);
}

/**
 * Maps any thrown value to the status and body a server answers with. An {@link OmronError} with a status keeps
 * it, and its `toJSON()` is the body. Anything else, an `OmronError` without HTTP meaning included, is a 500
 * `INTERNAL` whose body never carries the original message (it may hold paths or secrets); the caller logs the
 * original.
 */
export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (isOmronError(err) && err.httpStatus !== undefined) return { status: err.httpStatus, body: bodyOf(err) };
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}

function bodyOf(err: OmronError): ErrorBody {
  return typeof err.toJSON === 'function' ? err.toJSON() : { code: err.code, message: err.message };
}
