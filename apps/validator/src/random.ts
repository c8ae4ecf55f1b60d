import { randomBytes } from 'node:crypto';
import type { Rng } from './ports.js';

/** Uniform [0, 1) with 53 random bits from the OS's CSPRNG: the inputs a validator sends must not be predictable. */
export const cryptoRng: Rng = () => Number(randomBytes(8).readBigUInt64BE() >> 11n) / 2 ** 53;

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Picks one item with probability proportional to its weight (Python's `random.choices`); null if none weigh. */
export function weightedChoice<T>(items: readonly T[], weight: (item: T) => number, rng: Rng): T | null {
  const weights = items.map((item) => Math.max(0, weight(item)));
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  let r = rng() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0 && weights[i]! > 0) return items[i]!;
  }
  return items.findLast((_, i) => weights[i]! > 0) ?? null;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
