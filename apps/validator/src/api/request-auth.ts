import {
  API_HEADERS,
  apiSignatureMessage,
  bodySha256,
  NONCE_PATTERN,
  SIGNATURE_WINDOW_S,
} from '@omron/client';
import { verifyMessage } from '@omron/protocol';
import { ApiError } from './api-error.js';

/** How far ahead of the validator's clock a timestamp may be (client clocks drift). */
export const FUTURE_SKEW_S = 30;

/**
 * Nonces seen within the signature window, per key, so a captured request cannot be sent again. A nonce is
 * forgotten once its timestamp has left the window (the request would be refused as expired anyway).
 * `notBeforeS` refuses requests signed before this process started: a previous process may have seen them.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  #sweepAt = 0;

  constructor(
    readonly notBeforeS: number,
    private readonly windowS = SIGNATURE_WINDOW_S,
  ) {}

  get size(): number {
    return this.#seen.size;
  }

  /** Records `nonce` for `origin`; false when it was already used inside the window. */
  admit(origin: string, nonce: string, timestampS: number, nowS: number): boolean {
    if (nowS >= this.#sweepAt) {
      for (const [key, expires] of this.#seen) if (expires < nowS) this.#seen.delete(key);
      this.#sweepAt = nowS + 10;
    }
    const key = `${origin}\n${nonce}`;
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires >= nowS) return false;
    this.#seen.set(key, timestampS + this.windowS);
    return true;
  }
}

export interface SignedRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  headers: { get(name: string): string | null | undefined };
  body: Uint8Array | string;
}

/**
 * Checks one request's auth headers (pure apart from the replay guard): a timestamp inside the window, a
 * well-formed nonce, an sr25519 signature by `x-origin-ss58` over the message of `apiSignatureMessage`
 * (timestamp, nonce, method, path, body sha256), `authorize` (which throws to refuse the signer), and a nonce
 * not seen before. Returns the signer's ss58. Throws `UNAUTHORIZED`, `SIGNATURE_EXPIRED` or `REPLAYED` (all 401),
 * or what `authorize` throws.
 */
export function authenticate(
  request: SignedRequest,
  guard: ReplayGuard,
  nowMs: number,
  authorize: (origin: string) => void = () => {},
): string {
  const get = (name: string) => request.headers.get(name) ?? undefined;
  const timestampText = get(API_HEADERS.timestamp);
  const nonce = get(API_HEADERS.nonce);
  const origin = get(API_HEADERS.origin);
  const signature = get(API_HEADERS.signature);
  if (!timestampText || !nonce || !origin || !signature) {
    throw new ApiError(
      'UNAUTHORIZED',
      `signed requests only: send ${Object.values(API_HEADERS).join(', ')} (see the README)`,
    );
  }
  if (!/^\d{1,12}$/.test(timestampText))
    throw new ApiError('UNAUTHORIZED', 'x-timestamp must be unix seconds');
  if (!NONCE_PATTERN.test(nonce))
    throw new ApiError('UNAUTHORIZED', 'x-nonce must be 16-64 of [A-Za-z0-9_-]');
  const timestamp = Number(timestampText);
  const nowS = Math.floor(nowMs / 1000);
  if (timestamp < nowS - SIGNATURE_WINDOW_S || timestamp > nowS + FUTURE_SKEW_S) {
    throw new ApiError(
      'SIGNATURE_EXPIRED',
      `x-timestamp ${timestamp} is outside the ${SIGNATURE_WINDOW_S} s window (validator time ${nowS})`,
    );
  }
  if (timestamp < guard.notBeforeS) {
    throw new ApiError('SIGNATURE_EXPIRED', 'signed before this validator started; sign a fresh request');
  }
  const message = apiSignatureMessage({
    timestamp,
    nonce,
    method: request.method,
    path: request.path,
    bodySha256: bodySha256(request.body),
  });
  if (!verifyMessage(message, signature, origin)) {
    throw new ApiError('UNAUTHORIZED', 'bad signature for x-origin-ss58 over this request');
  }
  // Access is decided before the nonce is remembered: keys that may not call cannot fill the guard's memory.
  authorize(origin);
  if (!guard.admit(origin, nonce, timestamp, nowS)) {
    throw new ApiError('REPLAYED', 'this nonce was already used; sign every request afresh');
  }
  return origin;
}
