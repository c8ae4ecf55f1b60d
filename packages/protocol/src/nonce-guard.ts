import { ProtocolError } from './errors.js';
import { nowNs } from './nonce.js';

/** The SDK's `ALLOWED_DELTA`: a first nonce may be this old, plus the request timeout. */
export const ALLOWED_NONCE_DELTA_NS = 4_000_000_000n;

export interface NonceGuardOptions {
  /** Remembered (hotkey, uuid) endpoints; the oldest is forgotten beyond this. */
  maxEndpoints?: number;
  now?: () => bigint;
}

export interface NonceCheck {
  hotkey: string;
  uuid: string;
  nonce: bigint;
  /** The request's `timeout` header in seconds (widens the window, as in the SDK). */
  timeoutS: number | null;
}

function seconds(ns: bigint): string {
  return (Number(ns) / 1e9).toFixed(2);
}

/**
 * Replay protection of `Axon.default_verify`: the first nonce of an endpoint
 * (`hotkey:uuid`) must be newer than `now − 4 s − timeout`, later ones strictly greater than the
 * last accepted. Unlike the SDK, the window applies whatever `version` the caller claims (the
 * version is not signed, so gating on it would let a replay skip the window), and the endpoint
 * map is bounded (LRU).
 */
export class NonceGuard {
  readonly #last = new Map<string, bigint>();
  readonly #max: number;
  readonly #now: () => bigint;

  constructor(opts: NonceGuardOptions = {}) {
    this.#max = opts.maxEndpoints ?? 100_000;
    this.#now = opts.now ?? nowNs;
  }

  /** Throws `NONCE_INVALID` with the SDK's messages when `nonce` must be refused. */
  check(req: NonceCheck): void {
    const last = this.#last.get(`${req.hotkey}:${req.uuid}`);
    if (last === undefined) {
      const now = this.#now();
      const timeoutNs = BigInt(Math.round((req.timeoutS ?? 0) * 1e9));
      const allowed = ALLOWED_NONCE_DELTA_NS + timeoutNs;
      if (req.nonce <= now - allowed) {
        throw new ProtocolError(
          'NONCE_INVALID',
          `Nonce is too old: acceptable delta is ${seconds(allowed)} seconds but request was ${seconds(now - req.nonce)} seconds old`,
        );
      }
    } else if (req.nonce <= last) {
      throw new ProtocolError('NONCE_INVALID', 'Nonce is too old, a newer one was last processed');
    }
  }

  /** Records an accepted nonce; call only after the signature verified. */
  commit(req: Pick<NonceCheck, 'hotkey' | 'uuid' | 'nonce'>): void {
    const key = `${req.hotkey}:${req.uuid}`;
    this.#last.delete(key);
    this.#last.set(key, req.nonce);
    if (this.#last.size > this.#max) {
      const oldest = this.#last.keys().next().value;
      if (oldest !== undefined) this.#last.delete(oldest);
    }
  }

  get size(): number {
    return this.#last.size;
  }
}
