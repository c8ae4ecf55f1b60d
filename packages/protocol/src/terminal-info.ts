import { z } from 'zod';

// The SDK's pydantic validators run `int(raw)` / `float(raw)` on these, so header strings and
// JSON numbers are both accepted.
const INT_TEXT = /^\s*[-+]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Python `int` field: a JSON integer or decimal text. */
export const PyInt = z
  .union([z.number().int(), z.string().regex(INT_TEXT)])
  .transform((v) => (typeof v === 'number' ? v : Number(v.trim())))
  .pipe(z.number().int().safe());

/** Python `int` field that may exceed 2^53 (nonces): kept as `bigint`. */
export const PyBigInt = z
  // z.number().int() stops at 2^53; nonces in JSON bodies exceed it (the exact value comes from headers).
  .union([z.bigint(), z.number().refine(Number.isInteger), z.string().regex(INT_TEXT)])
  .transform((v) => BigInt(typeof v === 'string' ? v.trim() : v));

/** Python `float` field: a JSON number or numeric text. */
export const PyFloatField = z
  .union([z.number(), z.string().regex(FLOAT_TEXT)])
  .transform((v) => (typeof v === 'number' ? v : Number(v.trim())));

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/** The SDK's `TerminalInfo`: what each end (dendrite caller, axon server) says about itself. */
export const TerminalInfo = z.object({
  status_code: nullable(PyInt),
  status_message: nullable(z.string()),
  process_time: nullable(PyFloatField),
  ip: nullable(z.string()),
  port: nullable(PyInt),
  version: nullable(PyInt),
  nonce: nullable(PyBigInt),
  uuid: nullable(z.string()),
  hotkey: nullable(z.string()),
  signature: nullable(z.string()),
});
export type TerminalInfo = z.output<typeof TerminalInfo>;

/** Field order of `TerminalInfo.model_dump()`, which is also the header order. */
export const TERMINAL_FIELDS = Object.keys(TerminalInfo.shape) as (keyof TerminalInfo)[];

/** A `TerminalInfo` with every field None, the SDK's default. */
export function emptyTerminalInfo(): TerminalInfo {
  return TerminalInfo.parse({});
}
