import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Path of the `sha256sum`-style sidecar that guards `path`. */
export function sidecarPath(path: string): string {
  return `${path}.sha256`;
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes `data` to `path` and its checksum to `path.sha256`, each through a temp file and a
 * rename, so readers never see a half-written file. The sidecar lands last: a file without one
 * is an interrupted write and is treated as absent by {@link readVerified}.
 */
export async function writeVerified(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, data);
  await writeAtomic(sidecarPath(path), `${sha256Hex(data)}  ${basename(path)}\n`);
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
