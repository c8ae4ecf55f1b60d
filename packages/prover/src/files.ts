import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioError } from './errors.js';

/** Reads a file, failing with `IO_ERROR` that names it. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw ioError(`cannot read ${path}`, error);
  }
}

/**
 * Writes through a temporary file, fsync and a rename, then fsyncs the directory, so a reader (or a concurrent
 * cache fill) never sees a half-written key or SRS, nor does anyone after a crash. The same durable write as
 * `@omron/core`'s `writeFileAtomic`, which the rest of the project uses: this package is published on its own and
 * sits below `@omron/core`, so it cannot import it. Files keep the mode a plain write gives (0o666 less the umask):
 * keys, SRS files and proofs are read by other processes.
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'w', 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await syncDirectory(dir);
  } catch (error) {
    await rm(temp, { force: true });
    throw ioError(`cannot write ${path}`, error);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the rename is then as durable as they allow.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM' && code !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}
