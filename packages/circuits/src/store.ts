import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@omron/prover';
import type { CircuitSettings, NativeProver, NativeVerifier, ProveResult, ProverBackend } from './backend.js';
import { type Circuit, makeCircuit } from './circuit.js';
import { CircuitStoreError } from './errors.js';
import {
  type CircuitProver,
  type CircuitVerifier,
  type SlicedNative,
  wrapProver,
  wrapVerifier,
} from './handles.js';
import {
  type CircuitKeys,
  type LoadedSrs,
  type LoadProgress,
  loadOrCreateKeys,
  loadSrs,
} from './key-cache.js';
import { type CircuitMetadata, DEFAULT_METADATA_DIR, readMetadataDirs } from './metadata.js';
import { requireRealSrsFiles } from './srs-policy.js';

/** Default cache of keys and development SRS files. */
export const DEFAULT_CACHE_DIR = join(homedir(), '.omron', 'cache');

export interface CircuitStoreOptions {
  /** `prover` (miner) loads proving keys; `verifier` (validator) loads only verifying keys. */
  role: 'prover' | 'verifier';
  /** Keys and the development SRS; default `~/.omron/cache`. */
  cacheDir?: string;
  /** Directory with real `kzg{k}.srs` files; the insecure development SRS is used for any k missing there. */
  srsDir?: string;
  /** False off the local network: a k without a real SRS file is `SRS_REQUIRED`, never the development SRS. Default true. */
  allowDevelopmentSrs?: boolean;
  /** Only these circuit names (default: every enabled circuit). */
  circuits?: readonly string[];
  /** Metadata directory; default the package's own `circuits/`. */
  metadataDir?: string;
  /**
   * An operator's own circuit folders, read after `metadataDir`: `<name>.json` files whose
   * `model.path` (relative to the file, or absolute) may point anywhere, pinned by `model.sha256`.
   */
  extraMetadataDirs?: readonly string[];
  onProgress?: (event: LoadProgress) => void;
  /** The prover implementation; default `@omron/prover`. */
  backend?: ProverBackend;
}

/** A circuit whose metadata is present but that is not loaded (why is in `note`). */
export interface DisabledCircuit {
  name: string;
  description: string;
  note: string;
}

interface Entry {
  circuit: Circuit;
  prover?: CircuitProver;
  verifier: CircuitVerifier;
}

/**
 * The circuits this node serves or checks: metadata from the package, models verified against
 * their pinned checksums, keys built once and cached on disk.
 *
 * @example
 * const store = await CircuitStore.open({ role: 'prover', onProgress: (e) => log.info(e) });
 * const [circuit] = store.list();
 * const result = await store.prover(circuit.id).prove(circuit.generateInput());
 */
export class CircuitStore {
  private constructor(
    private readonly entries: Map<string, Entry>,
    /** Circuits listed in metadata but not loaded. */
    readonly disabled: readonly DisabledCircuit[],
    readonly role: 'prover' | 'verifier',
  ) {}

  static async open(options: CircuitStoreOptions): Promise<CircuitStore> {
    const progress = options.onProgress ?? (() => {});
    const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
    const backend = options.backend ?? (await import('./native-backend.js')).nativeBackend;
    const all = await readMetadataDirs(
      options.metadataDir ?? DEFAULT_METADATA_DIR,
      options.extraMetadataDirs,
    );
    const wanted = options.circuits;
    for (const name of wanted ?? []) {
      if (!all.some((m) => m.name === name)) {
        throw new CircuitStoreError(
          'UNKNOWN_CIRCUIT',
          `no circuit named ${name} (known: ${all.map((m) => m.name)})`,
        );
      }
    }
    const selected = all.filter((m) => wanted === undefined || wanted.includes(m.name));
    if (options.allowDevelopmentSrs === false) await requireRealSrsFiles(selected, backend, options.srsDir);
    const disabled: DisabledCircuit[] = [];
    const entries = new Map<string, Entry>();
    const srsByK = new Map<number, Promise<LoadedSrs>>();
    for (const meta of selected) {
      if (!meta.enabled) {
        const note = meta.note ?? 'disabled in its metadata';
        disabled.push({ name: meta.name, description: meta.description, note });
        progress({ circuit: meta.name, stage: 'disabled', message: note });
        continue;
      }
      const entry = await loadOne(meta, backend, { ...options, cacheDir }, srsByK, progress);
      entries.set(entry.circuit.id, entry);
    }
    return new CircuitStore(entries, disabled, options.role);
  }

  /** Loaded circuits, in metadata name order. */
  list(): Circuit[] {
    return [...this.entries.values()].map((e) => e.circuit);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The circuit with this id; `UNKNOWN_CIRCUIT` otherwise. */
  get(id: string): Circuit {
    return this.entry(id).circuit;
  }

  /** The circuit with this metadata name; `UNKNOWN_CIRCUIT` otherwise. */
  byName(name: string): Circuit {
    const found = this.list().find((c) => c.name === name);
    if (!found) throw new CircuitStoreError('UNKNOWN_CIRCUIT', `no loaded circuit named ${name}`);
    return found;
  }

  /** Proves with the circuit's proving key (held in native memory). `WRONG_ROLE` in a verifier store. */
  prover(id: string): CircuitProver {
    const entry = this.entry(id);
    if (!entry.prover) throw new CircuitStoreError('WRONG_ROLE', 'this store was opened as a verifier');
    return entry.prover;
  }

  /** Verifies proofs of this circuit with its verifying key, settings and SRS. */
  verifier(id: string): CircuitVerifier {
    return this.entry(id).verifier;
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new CircuitStoreError('UNKNOWN_CIRCUIT', `unknown circuit id ${id}`, { id });
    return entry;
  }
}

async function loadOne(
  meta: CircuitMetadata,
  backend: ProverBackend,
  options: CircuitStoreOptions & { cacheDir: string },
  srsByK: Map<number, Promise<LoadedSrs>>,
  progress: (e: LoadProgress) => void,
): Promise<Entry> {
  progress({ circuit: meta.name, stage: 'verify-model', message: `checking ${meta.modelPath}` });
  const onnx = await readFile(meta.modelPath).catch((e: NodeJS.ErrnoException) => {
    throw new CircuitStoreError('MODEL_MISSING', `${meta.name}: cannot read ${meta.modelPath}: ${e.code}`, {
      circuit: meta.name,
    });
  });
  const actual = sha256Hex(onnx);
  if (actual !== meta.model.sha256) {
    throw new CircuitStoreError(
      'CHECKSUM_MISMATCH',
      `${meta.name}: ${meta.modelPath} has sha256 ${actual}, metadata pins ${meta.model.sha256}`,
      { circuit: meta.name, expected: meta.model.sha256, actual },
    );
  }
  if (meta.slices !== undefined) return loadSliced(meta, onnx, backend, options, srsByK, progress);
  progress({ circuit: meta.name, stage: 'compile', message: 'compiling' });
  const model = await backend.compile(onnx, meta.compile).catch(proverFailure(meta.name));
  const shapes = meta.inputs.map((i) => i.shape);
  if (JSON.stringify(model.settings.input_shapes) !== JSON.stringify(shapes)) {
    throw new CircuitStoreError(
      'BAD_METADATA',
      `${meta.name}: metadata input shapes ${JSON.stringify(shapes)} differ from the model's ${JSON.stringify(model.settings.input_shapes)}`,
    );
  }
  const k = model.settings.k;
  if (!srsByK.has(k)) srsByK.set(k, loadSrs(backend, k, options, progress));
  const srs = await srsByK.get(k)!;
  const needProvingKey = options.role === 'prover';
  const keys = await loadOrCreateKeys(
    backend,
    meta.name,
    model,
    srs,
    { cacheDir: options.cacheDir, needProvingKey },
    progress,
  ).catch(proverFailure(meta.name));
  const circuit = makeCircuit(meta, model.settings, sha256Hex(keys.verifyingKey), srs.handle.insecure);
  const native: NativeVerifier = await backend
    .openVerifier(model, keys.verifyingKey, srs.handle)
    .catch(proverFailure(meta.name));
  let prover: NativeProver | undefined;
  if (keys.provingKey) {
    prover = await backend.openProver(model, keys.provingKey, srs.handle).catch(proverFailure(meta.name));
  }
  progress({ circuit: meta.name, stage: 'ready', message: `ready as ${circuit.id}` });
  const entry: Entry = {
    circuit,
    verifier: wrapVerifier(circuit, native, backend, {
      verifyingKey: keys.verifyingKey,
      settingsJson: model.settingsJson,
    }),
  };
  if (prover) entry.prover = wrapProver(circuit, prover);
  return entry;
}

/**
 * A sliced circuit: K slice circuits compiled from one model, each with its own keys under
 * `keys/<slice model_hash>/<srs tag>/`, all on one SRS (the largest slice's k). Its id is the chain id.
 */
async function loadSliced(
  meta: CircuitMetadata,
  onnx: Uint8Array,
  backend: ProverBackend,
  options: CircuitStoreOptions & { cacheDir: string },
  srsByK: Map<number, Promise<LoadedSrs>>,
  progress: (e: LoadProgress) => void,
): Promise<Entry> {
  const budget = meta.slices!;
  progress({
    circuit: meta.name,
    stage: 'compile',
    message: `compiling into ${typeof budget === 'number' ? `${budget} slices` : `slices of at most ${budget.maxRows} rows`}`,
  });
  const sliced = await backend.compileSlices(onnx, meta.compile, budget).catch(proverFailure(meta.name));
  const first = sliced.slices[0]!;
  const last = sliced.slices.at(-1)!;
  const shapes = meta.inputs.map((i) => i.shape);
  if (JSON.stringify(first.settings.input_shapes) !== JSON.stringify(shapes)) {
    throw new CircuitStoreError(
      'BAD_METADATA',
      `${meta.name}: metadata input shapes ${JSON.stringify(shapes)} differ from the model's ${JSON.stringify(first.settings.input_shapes)}`,
    );
  }
  const k = Math.max(...sliced.slices.map((s) => s.settings.k));
  if (!srsByK.has(k)) srsByK.set(k, loadSrs(backend, k, options, progress));
  const srs = await srsByK.get(k)!;
  const needProvingKey = options.role === 'prover';
  const keys: CircuitKeys[] = [];
  for (const [i, slice] of sliced.slices.entries()) {
    keys.push(
      await loadOrCreateKeys(
        backend,
        `${meta.name}[${i}]`,
        slice,
        srs,
        { cacheDir: options.cacheDir, needProvingKey },
        progress,
      ).catch(proverFailure(meta.name)),
    );
  }
  const verifyingKeys = keys.map((k) => k.verifyingKey);
  const scales = (s: CircuitSettings) => (s.scales ?? {}) as Record<string, unknown>;
  // The chain as one circuit: slice 0's inputs, the last slice's outputs, the whole model's hash.
  const settings: CircuitSettings = {
    ...first.settings,
    k,
    model_hash: sliced.modelHash,
    output_shapes: last.settings.output_shapes,
    scales: { ...scales(first.settings), output: scales(last.settings).output },
  };
  const circuit = makeCircuit(
    meta,
    settings,
    chainId(verifyingKeys),
    srs.handle.insecure,
    sliced.slices.map((s) => s.settings),
  );
  const chain = await backend
    .openChainVerifier(sliced.slices, verifyingKeys, srs.handle)
    .catch(proverFailure(meta.name));
  const native: SlicedNative = {
    forward: (inputs) => sliced.forward(inputs),
    chain,
    artifacts: sliced.slices.map((s, i) => ({
      verifyingKey: verifyingKeys[i]!,
      settingsJson: s.settingsJson,
    })),
  };
  if (needProvingKey) {
    native.provers = await Promise.all(
      sliced.slices.map((s, i) => backend.openProver(s, keys[i]!.provingKey!, srs.handle)),
    ).catch(proverFailure(meta.name));
  }
  progress({
    circuit: meta.name,
    stage: 'ready',
    message: `ready as ${circuit.id} (${sliced.slices.length} slices)`,
  });
  const noSingleProof: NativeVerifier = { verify: async () => false };
  const entry: Entry = {
    circuit,
    verifier: wrapVerifier(
      circuit,
      noSingleProof,
      backend,
      // Published for offline checks: the slices' keys as one bundle, as `setup --slices` writes `--vk`.
      { verifyingKey: backend.encodeKeyBundle(verifyingKeys), settingsJson: JSON.stringify(settings) },
      native,
    ),
  };
  if (native.provers) entry.prover = wrapProver(circuit, undefined, native);
  return entry;
}

/**
 * Id of a sliced circuit: sha256 over each slice verifying key's sha256, in chain order (as `chainId` in
 * `@omron/prover`), so miners, workers and validators agree on it from their own keys.
 */
export function chainId(verifyingKeys: readonly Uint8Array[]): string {
  const outer = createHash('sha256');
  for (const vk of verifyingKeys) outer.update(createHash('sha256').update(vk).digest());
  return outer.digest('hex');
}

function proverFailure(name: string) {
  return (e: unknown): never => {
    if (e instanceof CircuitStoreError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CircuitStoreError(
      'PROVER_FAILED',
      `${name}: ${(e as Error).message}`,
      { proverCode: code },
      { cause: e },
    );
  };
}

export type { ProveResult };
