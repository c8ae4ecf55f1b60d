import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { writeFileAtomic } from '@omron/core';

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Path of the `sha256sum`-style sidecar that guards `path`. */
export function sidecarPath(path: string): string {
  return `${path}.sha256`;
}

/** Keys and SRS files are read by other processes and users (workers, `doctor`): world-readable, less the umask. */
const SHARED_FILE_MODE = 0o666;

/**
 * Writes `data` to `path` and its checksum to `path.sha256`, each with `@omron/core`'s durable atomic write, so
 * readers never see a half-written file, nor a crash a torn one. The sidecar lands last: a file without one
 * is an interrupted write and is treated as absent by {@link readVerified}.
 */
export async function writeVerified(path: string, data: Uint8Array | string): Promise<void> {
  await writeFileAtomic(path, data, { mode: SHARED_FILE_MODE });
  await writeFileAtomic(sidecarPath(path), `${sha256Hex(data)}  ${basename(path)}\n`, {
    mode: SHARED_FILE_MODE,
  });
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
