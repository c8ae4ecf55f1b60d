import { join } from 'node:path';
import type * as Binding from '../binding.cjs';
import { awaitNative, callNative } from './errors.js';
import { readBytes, writeAtomic } from './files.js';
import type { CompiledModel } from './model.js';
import { native } from './native.js';
import type { ModelSettings } from './settings.js';
import type { Srs } from './srs.js';

/** A proving key in native memory (it can be large: load it once, prove many times). */
export class ProvingKey {
  /** @internal */
  constructor(readonly native: Binding.ProvingKey) {}

  get modelHash(): string {
    return this.native.modelHash;
  }

  /** Serialized key (versioned header: magic, format version, model hash, k). */
  async toBytes(): Promise<Uint8Array> {
    return awaitNative(() => this.native.toBytes());
  }

  async save(path: string): Promise<void> {
    await writeAtomic(path, await this.toBytes());
  }

  /** Parses key bytes for `model`; `BAD_KEY_FORMAT` or `MODEL_MISMATCH`. */
  static async fromBytes(bytes: Uint8Array, model: CompiledModel): Promise<ProvingKey> {
    return new ProvingKey(await awaitNative(() => native.loadProvingKey(bytes, model.native)));
  }

  static async load(path: string, model: CompiledModel): Promise<ProvingKey> {
    return ProvingKey.fromBytes(await readBytes(path), model);
  }
}

/** A verifying key (small); all a verifier needs with the settings and an SRS. */
export class VerifyingKey {
  /** @internal */
  constructor(readonly native: Binding.VerifyingKey) {}

  get modelHash(): string {
    return this.native.modelHash;
  }

  toBytes(): Uint8Array {
    return this.native.toBytes();
  }

  async save(path: string): Promise<void> {
    await writeAtomic(path, this.toBytes());
  }

  /** Parses key bytes for the model of `settings`; `BAD_KEY_FORMAT` or `MODEL_MISMATCH`. */
  static fromBytes(bytes: Uint8Array, settings: ModelSettings): VerifyingKey {
    return new VerifyingKey(callNative(() => native.loadVerifyingKey(bytes, settings.json)));
  }

  static async load(path: string, settings: ModelSettings): Promise<VerifyingKey> {
    return VerifyingKey.fromBytes(await readBytes(path), settings);
  }
}

/** Both keys of a model. */
export interface KeyPair {
  readonly provingKey: ProvingKey;
  readonly verifyingKey: VerifyingKey;
}

/**
 * Key generation off the JS thread. The SRS needs k ≥ `model.settings.k`.
 *
 * @example
 * const { provingKey, verifyingKey } = await setup(model, await developmentSrs(model.settings.k))
 */
export async function setup(model: CompiledModel, srs: Srs): Promise<KeyPair> {
  const pair = await awaitNative(() => native.setup(model.native, srs.native));
  return { provingKey: new ProvingKey(pair.provingKey), verifyingKey: new VerifyingKey(pair.verifyingKey) };
}

/**
 * Keys cached on disk as `<dir>/<modelHash>.pk` and `.vk`: loaded when present and valid,
 * otherwise generated and saved. Suits a miner restarting with the same model.
 */
export async function cachedSetup(model: CompiledModel, srs: Srs, dir: string): Promise<KeyPair> {
  const pkPath = join(dir, `${model.modelHash}.pk`);
  const vkPath = join(dir, `${model.modelHash}.vk`);
  try {
    const provingKey = await ProvingKey.load(pkPath, model);
    const verifyingKey = await VerifyingKey.load(vkPath, model.settings);
    return { provingKey, verifyingKey };
  } catch {
    // Missing or stale cache: regenerate below.
  }
  const pair = await setup(model, srs);
  await pair.provingKey.save(pkPath);
  await pair.verifyingKey.save(vkPath);
  return pair;
}
