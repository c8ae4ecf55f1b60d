import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { writeAtomic } from './files.js';

/**
 * Files guarded by a `sha256sum`-style sidecar (`<file>.sha256`: `<hex>  <name>`): the cached development SRS and
 * keys, and the checksums `omron-prover srs check --record` keeps for real SRS files. The one implementation of the
 * format; the circuit store's cache and the doctor use it through this package.
 */

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Path of the sidecar that guards `path`. */
export function sidecarPath(path: string): string {
  return `${path}.sha256`;
}

/** The checksum recorded in `path`'s sidecar, if there is one. */
export async function recordedChecksum(path: string): Promise<string | undefined> {
  const text = await readFile(sidecarPath(path), 'utf8').catch(() => undefined);
  return text?.trim().split(/\s+/)[0];
}

/** Writes the sidecar of `path` for bytes whose digest is `sha256` (atomically). */
export async function recordChecksum(path: string, sha256: string): Promise<void> {
  await writeAtomic(sidecarPath(path), `${sha256}  ${basename(path)}\n`);
}

/**
 * Writes `data` to `path` and its checksum to `path.sha256`, each with a durable atomic write, so readers never
 * see a half-written file, nor a crash a torn one. The sidecar lands last: a file without one is an interrupted
 * write and is treated as absent by {@link readVerified}.
 */
export async function writeVerified(path: string, data: Uint8Array | string): Promise<void> {
  await writeAtomic(path, data);
  await recordChecksum(path, sha256Hex(data));
}

/** What {@link readVerified} found. */
export type VerifiedRead =
  | { status: 'ok'; data: Buffer }
  | { status: 'missing' }
  | { status: 'corrupt'; expected: string; actual: string };

/** Reads a file written by {@link writeVerified} and checks it against its sidecar. */
export async function readVerified(path: string): Promise<VerifiedRead> {
  let sidecar: string;
  let data: Buffer;
  try {
    sidecar = await readFile(sidecarPath(path), 'utf8');
    data = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw e;
  }
  const expected = sidecar.trim().split(/\s+/)[0] ?? '';
  const actual = sha256Hex(data);
  return expected === actual ? { status: 'ok', data } : { status: 'corrupt', expected, actual };
}
