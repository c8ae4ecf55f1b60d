import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Binding from '../binding.cjs';
import { awaitNative, callNative, ProverError } from './errors.js';
import { readBytes, writeAtomic } from './files.js';
import { native } from './native.js';

/** KZG parameters over BN254 (powers of tau), held in native memory. */
export class Srs {
  /** @internal */
  constructor(readonly native: Binding.Srs) {}

  /** log2 of the largest circuit this SRS supports. */
  get k(): number {
    return this.native.k;
  }

  /** True for the development SRS: its toxic waste is public, never use it in production. */
  get isInsecure(): boolean {
    return this.native.isInsecure;
  }

  /** The `kzg{k}.srs` file content (halo2 `ParamsKZG` raw layout). */
  async toBytes(): Promise<Uint8Array> {
    return awaitNative(() => this.native.toBytes());
  }

  /** Writes the `kzg{k}.srs` file (atomically). */
  async save(path: string): Promise<void> {
    await writeAtomic(path, await this.toBytes());
  }

  /** A copy reduced to 2^k points. */
  downsize(k: number): Srs {
    return new Srs(callNative(() => this.native.downsize(k)));
  }
}

/** Parses `kzg{k}.srs` bytes (PSE / EZKL layout); `BAD_SRS` when malformed. */
export async function readSrs(bytes: Uint8Array): Promise<Srs> {
  return new Srs(await awaitNative(() => native.readSrs(bytes)));
}

/**
 * Loads a `kzg{k}.srs` file (the public perpetual-powers-of-tau files, as EZKL and PSE
 * distribute them).
 */
export async function loadSrs(path: string): Promise<Srs> {
  return readSrs(await readBytes(path));
}

/** Default directory for cached development SRS files: `$OMRON_SRS_CACHE` or ~/.cache/omron/srs. */
export function defaultSrsCacheDir(): string {
  return process.env.OMRON_SRS_CACHE ?? join(homedir(), '.cache', 'omron', 'srs');
}

/**
 * The deterministic, INSECURE development SRS for circuits of up to 2^k rows: for tests
 * and local networks only. Generating it is slow, so it is cached as
 * `<cacheDir>/kzg{k}.insecure-dev.srs` unless `cacheDir` is `null`.
 *
 * @example
 * const srs = await developmentSrs(model.settings.k)
 */
export async function developmentSrs(k: number, options: { cacheDir?: string | null } = {}): Promise<Srs> {
  if (!Number.isInteger(k) || k < 1 || k > 26) {
    throw new ProverError('BAD_SRS', `SRS k must be an integer in 1..26, got ${k}`);
  }
  const cacheDir = options.cacheDir === undefined ? defaultSrsCacheDir() : options.cacheDir;
  if (cacheDir === null) return new Srs(await awaitNative(() => native.developmentSrs(k)));
  const path = join(cacheDir, `kzg${k}.insecure-dev.srs`);
  const cached = await readBytes(path).catch(() => undefined);
  if (cached !== undefined) {
    try {
      const srs = await readSrs(cached);
      if (srs.isInsecure && srs.k === k) return srs;
    } catch {
      // A damaged cache file is regenerated below.
    }
  }
  const srs = new Srs(await awaitNative(() => native.developmentSrs(k)));
  await srs.save(path);
  return srs;
}
