import { createHash } from 'node:crypto';

/** Omron's HashGuard keeps the last 32 768 input hashes. */
export const DEFAULT_INPUT_GUARD_CAPACITY = 32_768;

/** sha256 of the circuit id and the exact inputs, as hex. */
export function inputHash(circuitId: string, inputs: readonly (readonly number[])[]): string {
  return createHash('sha256')
    .update(JSON.stringify([circuitId, inputs]))
    .digest('hex');
}

/**
 * Refuses inputs the validator has sent before, so a miner can never answer from a cache of old proofs. Keeps the
 * most recent `capacity` hashes (oldest evicted first); persisted with the validator state, so a restart does not
 * forget what was sent.
 *
 * @example
 * const guard = new InputGuard();
 * guard.admit(inputHash(id, inputs)); // true: fresh, now remembered
 * guard.admit(inputHash(id, inputs)); // false: seen before
 */
export class InputGuard {
  readonly #seen = new Set<string>();
  readonly #order: string[] = [];
  #head = 0;

  constructor(
    readonly capacity: number = DEFAULT_INPUT_GUARD_CAPACITY,
    hashes: readonly string[] = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    for (const hash of hashes) this.admit(hash);
  }

  get size(): number {
    return this.#seen.size;
  }

  has(hash: string): boolean {
    return this.#seen.has(hash);
  }

  /** Remembers `hash` and returns true, or returns false if it was already seen. */
  admit(hash: string): boolean {
    if (this.#seen.has(hash)) return false;
    this.#seen.add(hash);
    this.#order.push(hash);
    while (this.#seen.size > this.capacity) {
      this.#seen.delete(this.#order[this.#head]!);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
    return true;
  }

  /** Hashes oldest first, for persistence. */
  toJSON(): string[] {
    return this.#order.slice(this.#head);
  }
}
