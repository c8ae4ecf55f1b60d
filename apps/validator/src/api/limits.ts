import { ApiError } from './api-error.js';

export interface LimitOptions {
  /** Requests per minute per key (also the burst). */
  perMinute: number;
  /** Inferences in flight per key. */
  perKeyInFlight: number;
  /** Inferences in flight in total. */
  totalInFlight: number;
}

/**
 * Per-key token buckets (`perMinute` tokens, refilled continuously) and in-flight caps, per key and in total.
 * `take` spends a token (429 `RATE_LIMITED` when empty); `enter` holds a slot until its release runs
 * (429 `TOO_MANY_IN_FLIGHT`).
 */
export class RequestLimits {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #inFlight = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly options: LimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): void {
    const now = this.now();
    const { perMinute } = this.options;
    const bucket = this.#buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      const waitS = Math.ceil(((1 - bucket.tokens) * 60) / perMinute);
      throw new ApiError('RATE_LIMITED', `over ${perMinute} requests per minute; retry in ${waitS} s`, {
        retryAfterS: waitS,
      });
    }
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.#forgetFull(now);
  }

  /** Reserves an in-flight slot; call the returned function exactly once when the work ends. */
  enter(key: string): () => void {
    const mine = this.#inFlight.get(key) ?? 0;
    if (mine >= this.options.perKeyInFlight) {
      throw new ApiError('TOO_MANY_IN_FLIGHT', `${mine} requests of this key are in flight already`);
    }
    if (this.#total >= this.options.totalInFlight) {
      throw new ApiError('TOO_MANY_IN_FLIGHT', 'the validator is at its in-flight limit; retry shortly');
    }
    this.#inFlight.set(key, mine + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.#inFlight.delete(key);
      else this.#inFlight.set(key, left);
    };
  }

  /** Buckets that have refilled completely carry no information; drop them. */
  #forgetFull(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) / 60_000) * this.options.perMinute >= this.options.perMinute)
        this.#buckets.delete(key);
    }
  }
}
