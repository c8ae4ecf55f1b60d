import { PROVER_ERROR_CODES, type ProverErrorCode } from './error-codes.js';

const KNOWN = new Set<string>(PROVER_ERROR_CODES);

/**
 * The mark of `@omron/core`'s `OmronError` contract (`Symbol.for`, so the same symbol everywhere). This package is
 * published on its own and so cannot import `@omron/core`; it carries the mark instead, and `isOmronError` and the
 * servers' error handler treat a `ProverError` as any other project error (`code`, `message`, `httpStatus`).
 */
export const OMRON_ERROR = Symbol.for('@omron/core/error');

/**
 * Every failure of `@omron/prover` is a `ProverError` with a stable `code`.
 * A cancelled proof has `code === 'CANCELLED'` and `name === 'AbortError'`.
 *
 * @example
 * try { await prover.prove(inputs) } catch (e) {
 *   if (e instanceof ProverError && e.code === 'SHAPE_MISMATCH') reply(400)
 * }
 */
export class ProverError extends Error {
  readonly [OMRON_ERROR] = true;
  readonly code: ProverErrorCode;
  /** A prover failure has no HTTP meaning of its own: the caller decides (a server answers 500). */
  readonly httpStatus: number | undefined = undefined;

  constructor(code: ProverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = code === 'CANCELLED' ? 'AbortError' : 'ProverError';
  }

  /** The `{ code, message }` body of the project's error contract. */
  toJSON(): { code: ProverErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** The error an aborted call rejects with. */
export function abortError(reason?: unknown): ProverError {
  return new ProverError('CANCELLED', 'the operation was aborted', { cause: reason });
}

/** Normalizes anything the native addon throws into a `ProverError`. */
export function fromNative(error: unknown): ProverError {
  if (error instanceof ProverError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && KNOWN.has(code)) {
    return new ProverError(code as ProverErrorCode, err.message, { cause: err });
  }
  // napi-rs rejects work cancelled before it started with an AbortError of its own.
  if (code === 'Cancelled' || err.name === 'AbortError') return abortError(err);
  if (code === 'InvalidArg' || code === 'NumberExpected' || code === 'ObjectExpected') {
    return new ProverError('INVALID_INPUT', err.message, { cause: err });
  }
  return new ProverError('INTERNAL', err.message, { cause: err });
}

/** Runs a native call, rethrowing its failure as a `ProverError`. */
export function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw fromNative(error);
  }
}

/** Awaits a native promise, rejecting with a `ProverError`. */
export async function awaitNative<T>(promise: () => Promise<T>): Promise<T> {
  try {
    return await promise();
  } catch (error) {
    throw fromNative(error);
  }
}

/** Wraps a file-system failure. */
export function ioError(what: string, error: unknown): ProverError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProverError('IO_ERROR', `${what}: ${reason}`, { cause: error });
}
