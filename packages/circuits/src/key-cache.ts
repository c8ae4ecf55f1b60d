import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readVerified, writeVerified } from '@omron/prover';
import type { CompiledModelHandle, ProverBackend, SrsHandle } from './backend.js';
import { developmentSrsDir, developmentSrsTag, KEY_FILES, keysDir, srsFileTag } from './cache-layout.js';
import { CircuitStoreError } from './errors.js';

/** A step of loading, reported through `onProgress`. */
export interface LoadProgress {
  /** Circuit name, or `srs` for SRS work shared by circuits. */
  circuit: string;
  stage: 'verify-model' | 'compile' | 'srs' | 'keygen' | 'load-keys' | 'cache-invalid' | 'ready' | 'disabled';
  message: string;
}

export type ProgressSink = (event: LoadProgress) => void;

/** An SRS in memory plus the tag that separates keys built on different SRS files. */
export interface LoadedSrs {
  handle: SrsHandle;
  tag: string;
}

/** The smallest `kzg{j}.srs` in `dir` with j ≥ k (a larger SRS is reduced to k), if any. */
export async function findSrsFile(dir: string, k: number): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = names
    .map((n) => /^kzg(\d+)\.srs$/.exec(n)?.[1])
    .filter((j): j is string => j !== undefined)
    .map(Number)
    .filter((j) => j >= k)
    .sort((a, b) => a - b);
  return sizes[0] === undefined ? undefined : join(dir, `kzg${sizes[0]}.srs`);
}

/**
 * Returns the SRS for `k`: the smallest `<srsDir>/kzg{j}.srs` with j ≥ k when there is one (a real
 * perpetual-powers-of-tau file, reduced to k), otherwise the development SRS, generated once and
 * cached as `kzg{k}.insecure-dev.srs`.
 */
export async function loadSrs(
  backend: ProverBackend,
  k: number,
  dirs: { cacheDir: string; srsDir?: string | undefined; allowDevelopmentSrs?: boolean | undefined },
  progress: ProgressSink,
): Promise<LoadedSrs> {
  const real = dirs.srsDir ? await findSrsFile(dirs.srsDir, k) : undefined;
  if (real) {
    const bytes = await readFile(real);
    const handle = await backend.loadSrs(bytes, k);
    if (handle.insecure && dirs.allowDevelopmentSrs === false) {
      throw new CircuitStoreError(
        'SRS_REQUIRED',
        `${real} is the insecure development SRS, refused off the local network: replace it with the real kzg${k}.srs`,
        { file: real, k },
      );
    }
    progress({
      circuit: 'srs',
      stage: 'srs',
      message: `loaded ${real} for k=${k}${handle.insecure ? ' (INSECURE)' : ''}`,
    });
    return { handle, tag: srsFileTag(k, bytes) };
  }
  if (dirs.allowDevelopmentSrs === false) {
    throw new CircuitStoreError('SRS_REQUIRED', `no kzg${k}.srs in ${dirs.srsDir ?? '--srs.dir (not set)'}`, {
      k,
    });
  }
  const handle = await backend.developmentSrs(k, developmentSrsDir(dirs.cacheDir), ({ outcome, path }) => {
    if (outcome === 'corrupt') {
      progress({
        circuit: 'srs',
        stage: 'cache-invalid',
        message: `${path} failed its checksum; regenerating`,
      });
    } else {
      const message =
        outcome === 'hit'
          ? `loaded INSECURE development SRS k=${k} from ${path}`
          : `generating INSECURE development SRS k=${k} into ${path}`;
      progress({ circuit: 'srs', stage: 'srs', message });
    }
  });
  return { handle, tag: developmentSrsTag(k) };
}

export interface CircuitKeys {
  verifyingKey: Uint8Array;
  /** Absent when only the verifying key was asked for. */
  provingKey?: Uint8Array;
}

/**
 * Keys of one compiled model on one SRS, from `<cacheDir>/keys/<model_hash>/<srs tag>/`, or built
 * once with `setup` and written there (atomically, with checksums). A file that fails its
 * checksum is rebuilt, never used.
 */
export async function loadOrCreateKeys(
  backend: ProverBackend,
  name: string,
  model: CompiledModelHandle,
  srs: LoadedSrs,
  opts: { cacheDir: string; needProvingKey: boolean },
  progress: ProgressSink,
): Promise<CircuitKeys> {
  const dir = keysDir(opts.cacheDir, model.settings.model_hash, srs.tag);
  const vkPath = join(dir, KEY_FILES.verifyingKey);
  const pkPath = join(dir, KEY_FILES.provingKey);
  const vk = await readVerified(vkPath);
  const pk = opts.needProvingKey ? await readVerified(pkPath) : undefined;
  for (const [path, read] of [
    [vkPath, vk],
    [pkPath, pk],
  ] as const) {
    if (read?.status === 'corrupt') {
      progress({
        circuit: name,
        stage: 'cache-invalid',
        message: `${path} failed its checksum; rebuilding keys`,
      });
    }
  }
  if (vk.status === 'ok' && (pk === undefined || pk.status === 'ok')) {
    progress({ circuit: name, stage: 'load-keys', message: `keys loaded from ${dir}` });
    return pk?.status === 'ok' ? { verifyingKey: vk.data, provingKey: pk.data } : { verifyingKey: vk.data };
  }
  progress({
    circuit: name,
    stage: 'keygen',
    message: `generating keys (k=${model.settings.k}) into ${dir}`,
  });
  const keys = await backend.setup(model, srs.handle);
  await writeVerified(join(dir, KEY_FILES.settings), model.settingsJson);
  await writeVerified(pkPath, keys.provingKey);
  await writeVerified(vkPath, keys.verifyingKey);
  return opts.needProvingKey
    ? { verifyingKey: keys.verifyingKey, provingKey: keys.provingKey }
    : { verifyingKey: keys.verifyingKey };
}
