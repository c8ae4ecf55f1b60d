import type * as Binding from '../binding.cjs';
import { native } from './native.js';

/** Codes raised by the TypeScript layer itself (file access), beside the addon's. */
const TS_CODES = ['IO_ERROR'] as const;

/** Stable error codes of the prover: the addon's generated `ErrorCode`, plus `IO_ERROR`. */
export type ProverErrorCode = Binding.ErrorCode | (typeof TS_CODES)[number];

/** Every code a `ProverError` can carry; match on `error.code`, never on the message. */
export const PROVER_ERROR_CODES: readonly ProverErrorCode[] = Object.freeze([
  ...native.errorCodes(),
  ...TS_CODES,
]);
