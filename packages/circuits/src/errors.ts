import { OmronError, type SharedErrorCode } from '@omron/core';

/** Stable machine-readable codes carried by every {@link CircuitStoreError}. */
export type CircuitStoreErrorCode =
  /** A `circuits/<name>.json` file is not valid metadata. */
  | 'BAD_METADATA'
  /** The ONNX file a circuit points at does not exist. */
  | 'MODEL_MISSING'
  /** A source file (ONNX model) does not match the checksum pinned in its metadata. */
  | 'CHECKSUM_MISMATCH'
  /** No loaded circuit has this id (or name). */
  | 'UNKNOWN_CIRCUIT'
  /** The store was opened as a verifier and cannot prove (or the reverse). */
  | 'WRONG_ROLE'
  /** An input does not match the circuit's input schema (shape, finite numbers, range); was `INVALID_INPUT`. */
  | Extract<SharedErrorCode, 'INVALID_INPUT'>
  /** The native prover failed; `details.proverCode` holds its own code when it has one. */
  | 'PROVER_FAILED'
  /** Off the local network: no real `kzg{k}.srs` for a circuit's k (the development SRS is refused). */
  | 'SRS_REQUIRED'
  /** The native prover package is not available in this build. */
  | 'PROVER_UNAVAILABLE'
  /** A sliced circuit asked for a whole-model proof: it is proven slice by slice. */
  | 'SLICED_CIRCUIT'
  /** A slice operation (forward, proveSlice) on a circuit that is not sliced. */
  | 'NOT_SLICED';

/**
 * The one error type thrown by `@omron/circuits`. Branch on `code`, never on the message.
 *
 * @example
 * try { circuit.parseInput(body) } catch (e) {
 *   if (isCircuitStoreError(e) && e.code === 'INVALID_INPUT') return fail(e.httpStatus, e.message); // 400
 * }
 */
export class CircuitStoreError extends OmronError<CircuitStoreErrorCode> {
  override readonly name = 'CircuitStoreError';
  constructor(
    code: CircuitStoreErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    // Bad input is the caller's fault wherever it reaches a server; every other code is the server's own.
    super(code, message, { ...options, httpStatus: code === 'INVALID_INPUT' ? 400 : undefined });
  }
}

export function isCircuitStoreError(e: unknown): e is CircuitStoreError {
  return e instanceof CircuitStoreError;
}
