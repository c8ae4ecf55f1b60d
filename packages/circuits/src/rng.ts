/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Rng = () => number;

/**
 * A small deterministic generator (mulberry32) for reproducible inputs in tests and benchmarks.
 * Not for anything secret: validators use `Math.random` or a CSPRNG.
 *
 * @example
 * const rng = seededRng(42);
 * const input = circuit.generateInput(rng);
 */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
