import { createHash, randomBytes } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';

/** The auth headers of a signed API request. */
export const API_HEADERS = {
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  origin: 'x-origin-ss58',
  signature: 'x-signature',
} as const;

/** A request is accepted for this long after (and this far before) its timestamp. */
export const SIGNATURE_WINDOW_S = 300;

/** First line of every signed message: binds a signature to this API and version, nothing else. */
export const SIGNATURE_DOMAIN = 'omron-api-v1';

/** What a signature covers. */
export interface SignedFields {
  /** Unix time in whole seconds. */
  timestamp: number;
  /** 16 to 64 characters of [A-Za-z0-9_-], unique per request. */
  nonce: string;
  /** HTTP method, upper case (`GET` for the WebSocket upgrade). */
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/infer` or `/v1/circuits?x=1`. */
  path: string;
  /** Lowercase hex sha256 of the raw body bytes (of the empty string when there is no body). */
  bodySha256: string;
}

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** Lowercase hex sha256 of a body (text as UTF-8). */
export function bodySha256(body: string | Uint8Array = ''): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The exact text that is signed: six lines joined by `\n`, no trailing newline —
 * `omron-api-v1`, timestamp, nonce, METHOD, path, body sha256.
 */
export function apiSignatureMessage(f: SignedFields): string {
  return [SIGNATURE_DOMAIN, String(f.timestamp), f.nonce, f.method.toUpperCase(), f.path, f.bodySha256].join(
    '\n',
  );
}

/** A fresh random nonce (24 url-safe characters). */
export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The four auth headers for one request, signed (sr25519) by `pair`.
 *
 * @example
 * const headers = signApiRequest(wallet.hotkey, { method: 'POST', path: '/v1/infer', body });
 */
export function signApiRequest(
  pair: KeyringPair,
  request: { method: string; path: string; body?: string | Uint8Array; now?: number; nonce?: string },
): Record<string, string> {
  const timestamp = Math.floor((request.now ?? Date.now()) / 1000);
  const nonce = request.nonce ?? newNonce();
  const message = apiSignatureMessage({
    timestamp,
    nonce,
    method: request.method,
    path: request.path,
    bodySha256: bodySha256(request.body ?? ''),
  });
  return {
    [API_HEADERS.timestamp]: String(timestamp),
    [API_HEADERS.nonce]: nonce,
    [API_HEADERS.origin]: pair.address,
    [API_HEADERS.signature]: u8aToHex(pair.sign(new TextEncoder().encode(message))),
  };
}
