import { join } from 'node:path';
import { sha256Hex } from '@omron/prover';

/**
 * The layout of the circuit store's cache directory (default `~/.omron/cache`), in one place for the store and the
 * doctor:
 * - `srs/kzg{k}.insecure-dev.srs` (+ `.sha256`): the development SRS, read, checked and written by
 *   `@omron/prover`'s `developmentSrs` (the one cache of it);
 * - `keys/<model_hash>/<srs tag>/{vk.bin,pk.bin,settings.json}` (+ `.sha256` each): keys of one compiled model on
 *   one SRS, checked with `@omron/prover`'s `readVerified` and written with `writeVerified`.
 */

/** Directory of the cached development SRS files. */
export function developmentSrsDir(cacheDir: string): string {
  return join(cacheDir, 'srs');
}

/** Tag of keys built on the development SRS for `k`. */
export function developmentSrsTag(k: number): string {
  return `k${k}-insecure-dev`;
}

/** Tag of keys built on a real SRS file: its k and the first 16 hex digits of its sha256. */
export function srsFileTag(k: number, bytes: Uint8Array): string {
  return `k${k}-${sha256Hex(bytes).slice(0, 16)}`;
}

/** Directory of the keys of one compiled model (`model_hash`) on one SRS (`srsTag`). */
export function keysDir(cacheDir: string, modelHash: string, srsTag: string): string {
  return join(cacheDir, 'keys', modelHash, srsTag);
}

/** File names inside {@link keysDir}. */
export const KEY_FILES = { verifyingKey: 'vk.bin', provingKey: 'pk.bin', settings: 'settings.json' } as const;
