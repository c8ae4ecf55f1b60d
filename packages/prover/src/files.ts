import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
 * Writes through a temporary file and a rename, so a reader (or a concurrent cache fill)
 * never sees a half-written key or SRS.
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    throw ioError(`cannot write ${path}`, error);
  }
}
