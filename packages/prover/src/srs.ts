import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Binding from '../binding.cjs';
import { readVerified, writeVerified } from './checked-file.js';
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

/** The cached development SRS file for `k` in `cacheDir` (with its `.sha256` sidecar next to it). */
export function developmentSrsPath(cacheDir: string, k: number): string {
  return join(cacheDir, `kzg${k}.insecure-dev.srs`);
}

/** What the development SRS cache does: uses a file, finds one damaged, or (then, or when none) generates one. */
export interface SrsCacheEvent {
  outcome: 'hit' | 'corrupt' | 'generating';
  path: string;
}

export interface DevelopmentSrsOptions {
  /** Cache directory; `null` generates without caching. Default {@link defaultSrsCacheDir}. */
  cacheDir?: string | null;
  /** Told what the cache did, for progress logs. */
  onCache?: (event: SrsCacheEvent) => void;
}

/**
 * The deterministic, INSECURE development SRS for circuits of up to 2^k rows: for tests
 * and local networks only. Generating it is slow, so it is cached as
 * `<cacheDir>/kzg{k}.insecure-dev.srs` with a `.sha256` sidecar (the one cache of it: the circuit store keeps it
 * in `<its cacheDir>/srs` through this function) unless `cacheDir` is `null`. A file that fails its checksum or
 * is not the development SRS for `k` is regenerated, never used.
 *
 * @example
 * const srs = await developmentSrs(model.settings.k)
 */
export async function developmentSrs(k: number, options: DevelopmentSrsOptions = {}): Promise<Srs> {
  if (!Number.isInteger(k) || k < 1 || k > 26) {
    throw new ProverError('BAD_SRS', `SRS k must be an integer in 1..26, got ${k}`);
  }
  const cacheDir = options.cacheDir === undefined ? defaultSrsCacheDir() : options.cacheDir;
  if (cacheDir === null) return new Srs(await awaitNative(() => native.developmentSrs(k)));
  const path = developmentSrsPath(cacheDir, k);
  const cached = await readVerified(path).catch(() => ({ status: 'missing' }) as const);
  if (cached.status === 'ok') {
    const srs = await readSrs(cached.data).catch(() => undefined);
    if (srs?.isInsecure && srs.k === k) {
      options.onCache?.({ outcome: 'hit', path });
      return srs;
    }
  }
  if (cached.status !== 'missing') options.onCache?.({ outcome: 'corrupt', path });
  options.onCache?.({ outcome: 'generating', path });
  const srs = new Srs(await awaitNative(() => native.developmentSrs(k)));
  await writeVerified(path, await srs.toBytes());
  return srs;
}
