import { ProverError } from './errors.js';

/** Exact circuit integers, one flat array per tensor: decimal strings or bigints (safe-integer numbers accepted). */
export type IntegerTensors = ReadonlyArray<ReadonlyArray<string | bigint | number>>;

const DECIMAL = /^-?(?:0|[1-9][0-9]*)$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Canonical decimal strings for the addon; `INVALID_INPUT` for anything that is not a 64-bit integer. */
export function toDecimalTensors(values: IntegerTensors, what: string): string[][] {
  if (!Array.isArray(values)) throw new ProverError('INVALID_INPUT', `${what} must be an array of arrays`);
  return values.map((row, i) => {
    if (!Array.isArray(row)) throw new ProverError('INVALID_INPUT', `${what}[${i}] must be an array`);
    return row.map((v: unknown) => {
      let n: bigint | undefined;
      if (typeof v === 'bigint') n = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
      else if (typeof v === 'string' && DECIMAL.test(v)) n = BigInt(v);
      if (n === undefined || n < I64_MIN || n > I64_MAX)
        throw new ProverError('INVALID_INPUT', `${what}[${i}] holds ${String(v)}, not a 64-bit integer`);
      return n.toString();
    });
  });
}
