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
  httpStatus?: number;
}

export class OmronError<Code extends string = string> extends Error {
  override name = 'OmronError';
  readonly code: Code;
  /** Undefined when the error has no HTTP meaning; servers then answer 500. */
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
}

/** True when `err` is an {@link OmronError} (from any package), optionally with the given code. */
export function isOmronError(err: unknown, code?: string): err is OmronError {
  return err instanceof OmronError && (code === undefined || err.code === code);
}

/**
 * Maps any thrown value to the status and body a server answers with. An {@link OmronError} with a status keeps
 * it; anything else is a 500 `INTERNAL` whose body never carries the original message (it may hold paths or
 * secrets); the caller logs the original.
 */
export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (isOmronError(err) && err.httpStatus !== undefined) {
    return { status: err.httpStatus, body: err.toJSON() };
  }
  if (isOmronError(err)) return { status: 500, body: err.toJSON() };
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}
