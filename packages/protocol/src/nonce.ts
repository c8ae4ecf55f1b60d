/** Wall clock in nanoseconds as a `bigint` (Python `time.time_ns()`), with sub-ms resolution. */
const wallAtStartNs = BigInt(Date.now()) * 1_000_000n;
const hrAtStart = process.hrtime.bigint();

export function nowNs(): bigint {
  return wallAtStartNs + (process.hrtime.bigint() - hrAtStart);
}

/**
 * Dendrite nonces: wall-clock nanoseconds, strictly increasing within the process so that
 * concurrent requests from one uuid never reuse a nonce (`max(now, last + 1)`).
 */
export class NonceClock {
  #last = 0n;
  constructor(private readonly now: () => bigint = nowNs) {}

  next(): bigint {
    const now = this.now();
    this.#last = now > this.#last ? now : this.#last + 1n;
    return this.#last;
  }
}
